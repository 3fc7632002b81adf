package org.explain4j.cli;

import java.util.Locale;

/** A progress line on stderr, on terminals only: it is overwritten, not logged. */
final class Progress {
  private final int total;
  private final boolean shown = System.console() != null;
  private boolean drawn;

  Progress(int total) {
    this.total = total;
  }

  void done(long items) {
    if (shown && total > 1) {
      int bar = (int) (items * 30 / total);
      System.err.printf(Locale.ROOT, "\r[%s%s] %d/%d items", "#".repeat(bar), " ".repeat(30 - bar), items, total);
      drawn = true;
    }
  }

  void println(String line) {
    if (drawn) {
      System.err.print("\r" + " ".repeat(50) + "\r");
    }
    System.out.println(line);
  }

  void finish() {
    if (drawn) {
      System.err.println();
    }
  }
}

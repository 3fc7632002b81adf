package org.explain4j.examples;

import java.util.List;

/** The examples' two flags, taken out of the argument list. */
final class Flags {
  private Flags() {}

  /** The value after {@code flag}, removed with it from {@code args}, or {@code otherwise}. */
  static String take(List<String> args, String flag, String otherwise) {
    int at = args.indexOf(flag);
    if (at < 0 || at + 1 >= args.size()) {
      return otherwise;
    }
    String value = args.remove(at + 1);
    args.remove(at);
    return value;
  }
}

package org.explain4j.cli;

import org.explain4j.exceptions.ExplainException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code explain4j} command line. */
@Command(name = "explain4j", mixinStandardHelpOptions = true, version = "explain4j 0.1.0-SNAPSHOT",
    description = "Grad-CAM explanations for TensorFlow SavedModels.",
    subcommands = {DemoCommand.class, LayersCommand.class, ExplainCommand.class, EvaluateCommand.class, ServeCommand.class,
        org.explain4j.spark.BatchCommand.class})
public final class Main implements Runnable {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of failures.")
  boolean verbose;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns 0 on success, 2 for a usage error, 1 for a failure. */
  static int run(String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      // Bad input or a bad model (the SDK's one root), files the command could not read or write,
      // and option values it could not parse: one line each. Anything else is a bug: its type too.
      boolean expected = e instanceof ExplainException || e instanceof java.io.IOException
          || e instanceof IllegalArgumentException;
      System.err.println("explain4j: " + (expected ? e.getMessage() : e));
      if (main.verbose) {
        e.printStackTrace();
      }
      return 1;
    });
    return cli.execute(args);
  }
}

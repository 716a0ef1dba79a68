package io.lbkit.cli;

import java.io.PrintStream;
import java.util.List;

/** One lbctl subcommand. Exit codes: 0 ok, 1 failure or findings, 2 usage error / unavailable. */
interface Command {
  /** The word after {@code lbctl}. */
  String name();

  /** Usage line, e.g. {@code check FILE}. */
  String usage();

  /** One-line description for {@code --help}. */
  String summary();

  /** Runs the command; returns the exit code. User mistakes are printed, not thrown. */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}

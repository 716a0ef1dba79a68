package io.lbkit.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every lbctl subcommand shares: {@code -h/--help}, the streams of {@link Lbctl#run},
 * and usage errors reported like the parser's own (exit 2). {@link #call} returns the
 * exit code: 0 ok, 1 failure or findings, 2 usage error or unreadable input.
 */
abstract class Subcommand implements Callable<Integer> {
  @ParentCommand Lbctl lbctl;
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  PrintStream out() {
    return lbctl.out;
  }

  PrintStream err() {
    return lbctl.err;
  }

  /** {@code lbctl NAME}, for messages. */
  String name() {
    return spec.qualifiedName();
  }

  /** A usage error to throw from {@link #call}: printed like a parse error, exit 2. */
  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}

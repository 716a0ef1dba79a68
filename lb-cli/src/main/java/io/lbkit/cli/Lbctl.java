package io.lbkit.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code lbctl}: the lbkit command line. {@code java -jar lbctl.jar --help} lists the
 * subcommands.
 */
public final class Lbctl {
  private Lbctl() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs lbctl with these arguments; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<Command> commands = Commands.all();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      help(commands, args.length == 0 ? err : out);
      return args.length == 0 ? 2 : 0;
    }
    for (Command c : commands) {
      if (c.name().equals(args[0])) {
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
          out.println("usage: lbctl " + c.usage());
          out.println("  " + c.summary());
          return 0;
        }
        try {
          return c.run(rest, out, err);
        } catch (Exception e) {
          err.println("lbctl " + c.name() + ": " + e.getMessage());
          return 1;
        }
      }
    }
    err.println("lbctl: unknown command \"" + args[0] + "\"; see lbctl --help");
    return 2;
  }

  private static void help(List<Command> commands, PrintStream out) {
    out.println("usage: lbctl COMMAND [ARGS]   (lbctl COMMAND --help for one command)");
    out.println();
    out.println("lbkit: keepalived as a Java library. Commands:");
    for (Command c : commands) {
      out.printf("  %-32s %s%n", c.usage(), c.summary());
    }
  }
}

package io.lbkit.cli;

import java.io.PrintStream;
import java.util.List;

/** A subcommand that a later lbkit release fills: says so and exits 2. */
record Unavailable(String name, String usage, String summary, String why) implements Command {
  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    err.println("lbctl " + name + ": not available yet (" + why + ")");
    return 2;
  }
}

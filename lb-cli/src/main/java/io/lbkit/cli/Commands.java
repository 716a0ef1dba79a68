package io.lbkit.cli;

import java.util.List;

/** Every lbctl subcommand, in --help order. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(
        new CheckCommand(),
        new ShowCommand(),
        new ApplyCommand(),
        new RunCommand(),
        new StatusCommand(),
        new GenhashCommand());
  }
}

package io.lbkit.examples.lbctl;

import java.util.List;

/** Every lbctl subcommand, in --help order. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(
        new CheckCommand(),
        new ShowCommand(),
        new ApplyCommand(),
        new Unavailable("run", "run FILE [--netns NAME]", "run VRRP, health checks and IPVS from a keepalived.conf",
            "needs lb-vrrp, lb-checks and lb-netlink"),
        new GenhashCommand(),
        new DemoCommand());
  }
}

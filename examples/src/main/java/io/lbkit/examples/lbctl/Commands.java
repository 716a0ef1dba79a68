package io.lbkit.examples.lbctl;

import java.util.List;

/** Every lbctl subcommand, in --help order. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(
        new CheckCommand(),
        new Unavailable("show", "show [--save]", "print the kernel's IPVS table as ipvsadm -L -n (or -S -n)",
            "needs lb-netlink"),
        new Unavailable("apply", "apply FILE [--dry-run]", "reconcile kernel IPVS to a config's virtual servers",
            "needs lb-netlink and lb-config-keepalived"),
        new RunCommand(),
        new GenhashCommand(),
        new DemoCommand());
  }
}

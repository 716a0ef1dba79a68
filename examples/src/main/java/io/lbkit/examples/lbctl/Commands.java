package io.lbkit.examples.lbctl;

import java.util.List;

/** Every lbctl subcommand, in --help order. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(
        new Unavailable("check", "check FILE", "validate a keepalived.conf like keepalived -t; exit 0 ok, 1 errors, 2 unreadable",
            "needs lb-config-keepalived"),
        new ShowCommand(),
        new ApplyCommand(),
        new Unavailable("run", "run FILE [--netns NAME]", "run VRRP, health checks and IPVS from a keepalived.conf",
            "needs lb-vrrp, lb-checks and lb-netlink"),
        new Unavailable("genhash", "genhash [options] --url PATH", "print the MD5 digest of a URL like keepalived's genhash",
            "needs lb-checks"),
        new DemoCommand());
  }
}

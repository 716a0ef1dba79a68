package io.lbkit.examples.lbctl;

import java.io.PrintStream;
import java.util.List;

/** {@code lbctl demo}: the seed scenario. */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo";
  }

  @Override
  public String summary() {
    return "the seed's LVS-DR director (VIP 192.168.0.200, two real servers) on a fake kernel";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    out.println("demo: coming in this commit series");
    return 0;
  }
}

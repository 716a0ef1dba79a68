package io.lbkit.cli.chaos;

import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.Lan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults the chaos run injects, each undone after its own random duration: a link cut (the
 * member's bridge port down), packet loss (an nftables bridge rule dropping N% to and from the
 * member), delay (a tbf queue on both ends of the member's link, since this host's kernel has no
 * sch_netem: packets wait up to 1.5 s, the overflow is dropped; netem is used where it exists),
 * kill -9 and a restart after 1-5 s, and a freeze (SIGSTOP, then SIGCONT).
 */
final class Faults {
  enum Kind { CUT, LOSS, DELAY, KILL, FREEZE }

  /** A fault in progress, undone at {@code until}. */
  record Active(Kind kind, int router, long until, String label) {}

  private final Lan lan;
  private final List<Router> routers;
  private final Random random;
  private final boolean netem;
  final List<Active> active = new ArrayList<>();
  final int[] counts = new int[Kind.values().length];

  Faults(Lan lan, List<Router> routers, Random random) {
    this.lan = lan;
    this.routers = routers;
    this.random = random;
    this.netem = Exec.run(Duration.ofSeconds(5), "ip", "netns", "exec", lan.hub().name(), "tc", "qdisc", "replace",
        "dev", "p0", "root", "netem", "delay", "1ms").ok();
    if (netem) {
      lan.hub().exec("tc", "qdisc", "del", "dev", "p0", "root");
    }
    lan.hub().exec("nft", "add table bridge lbkchaos");
    lan.hub().exec("nft", "add chain bridge lbkchaos fw { type filter hook forward priority 0 ; policy accept ; }");
  }

  boolean hasNetem() {
    return netem;
  }

  /** Starts one random fault on a router that has none, if at most one other fault is active. */
  Active inject(long now) throws Exception {
    if (active.size() >= 2) {
      return null;
    }
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < routers.size(); i++) {
      final int r = i;
      if (active.stream().noneMatch(a -> a.router() == r) && routers.get(i).alive()) {
        free.add(i);
      }
    }
    if (free.isEmpty()) {
      return null;
    }
    int r = free.get(random.nextInt(free.size()));
    Kind k = Kind.values()[random.nextInt(Kind.values().length)];
    String port = "p" + r;
    long ms;
    String label;
    switch (k) {
      case CUT -> {
        ms = 2000 + random.nextInt(6000);
        lan.hub().ip("link", "set", port, "down");
        label = "link cut of " + routers.get(r).name();
      }
      case LOSS -> {
        ms = 3000 + random.nextInt(7000);
        int pct = 20 + random.nextInt(60);
        lan.hub().exec("nft", "add rule bridge lbkchaos fw oifname " + port + " numgen random mod 100 < " + pct
            + " drop");
        lan.hub().exec("nft", "add rule bridge lbkchaos fw iifname " + port + " numgen random mod 100 < " + pct
            + " drop");
        label = pct + "% loss to and from " + routers.get(r).name();
      }
      case DELAY -> {
        ms = 3000 + random.nextInt(7000);
        int delay = 200 + random.nextInt(1300);
        delay(r, true, delay);
        label = (netem ? "netem delay " + delay + " ms" : "tbf queueing delay (up to 1.5 s)") + " on "
            + routers.get(r).name();
      }
      case KILL -> {
        ms = 1000 + random.nextInt(4000);
        routers.get(r).kill9();
        label = "kill -9 of " + routers.get(r).name();
      }
      default -> {
        ms = 500 + random.nextInt(2500);
        routers.get(r).freeze(true);
        label = "SIGSTOP of " + routers.get(r).name();
      }
    }
    counts[k.ordinal()]++;
    Active a = new Active(k, r, now + ms * 1_000_000L, label + " for " + ms + " ms");
    active.add(a);
    return a;
  }

  private void delay(int r, boolean on, int ms) {
    String port = "p" + r;
    if (!on) {
      lan.hub().exec("tc", "qdisc", "del", "dev", port, "root");
      routers.get(r).ns.exec("tc", "qdisc", "del", "dev", "eth0", "root");
    } else if (netem) {
      lan.hub().run("tc", "qdisc", "replace", "dev", port, "root", "netem", "delay", ms + "ms", "100ms");
      routers.get(r).ns.run("tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "delay", ms + "ms", "100ms");
    } else {
      lan.hub().run("tc", "qdisc", "replace", "dev", port, "root", "tbf", "rate", "256bit", "burst", "1600",
          "latency", "1500ms");
      routers.get(r).ns.run("tc", "qdisc", "replace", "dev", "eth0", "root", "tbf", "rate", "256bit", "burst",
          "1600", "latency", "1500ms");
    }
  }

  /** Undoes the faults whose time is up (all with {@code all}); true if any was undone. */
  boolean heal(long now, boolean all) throws Exception {
    boolean any = false;
    for (Active a : List.copyOf(active)) {
      if (!all && a.until() > now) {
        continue;
      }
      int r = a.router();
      switch (a.kind()) {
        case CUT -> lan.hub().ip("link", "set", "p" + r, "up");
        case LOSS -> {
          lan.hub().exec("nft", "flush chain bridge lbkchaos fw");
          // another LOSS may be active: put its rules back
          for (Active o : active) {
            if (o != a && o.kind() == Faults.Kind.LOSS) {
              String pct = o.label().substring(0, o.label().indexOf('%'));
              lan.hub().exec("nft", "add rule bridge lbkchaos fw oifname p" + o.router() + " numgen random mod 100 < "
                  + pct + " drop");
              lan.hub().exec("nft", "add rule bridge lbkchaos fw iifname p" + o.router() + " numgen random mod 100 < "
                  + pct + " drop");
            }
          }
        }
        case DELAY -> delay(r, false, 0);
        case KILL -> routers.get(r).start();
        default -> routers.get(r).freeze(false);
      }
      active.remove(a);
      any = true;
    }
    return any;
  }
}

package io.lbkit.cli;

import io.lbkit.fleet.DirectorStatus;
import io.lbkit.fleet.FleetDirector;
import io.lbkit.fleet.FleetStore;
import io.lbkit.fleet.FrrAnnouncer;
import io.lbkit.fleet.GobgpAnnouncer;
import io.lbkit.fleet.VipAnnouncer;
import io.lbkit.runtime.Dataplane;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.runtime.RuntimeListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code lbctl run --etcd URL --key KEY}: one director of a fleet (lb-fleet's
 * {@link FleetDirector}); this class only wires options, prints and stops on SIGTERM.
 */
final class FleetRun {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private String last = "";

  int run(EtcdOptions etcd, String name, Dataplane dataplane, String netns, int checkThreads, VipAnnouncer announcer,
      Duration leaseTtl, RuntimeListener printer, PrintStream out, PrintStream err) {
    FleetStore store;
    try {
      store = etcd.open();
    } catch (IllegalArgumentException e) {
      err.println("lbctl run: " + Text.safe(e.getMessage()));
      return 2;
    }
    LoadBalancerRuntime.Builder rb = LoadBalancerRuntime.builder().dataplane(dataplane).checkThreads(checkThreads)
        .listener(printer);
    if (netns != null) {
      rb.netns(netns);
    }
    FleetDirector d;
    try {
      d = FleetDirector.builder(store, name).runtime(rb).announcer(announcer).leaseTtl(leaseTtl)
          .onStatus(s -> print(s, out)).start();
    } catch (IOException | IllegalArgumentException e) {
      err.println("lbctl run: " + Text.safe(String.valueOf(e.getMessage())));
      store.close();
      return 1;
    }
    Thread hook = new Thread(this::stop, "lbctl-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.exitZeroOnTerminate();
    try {
      out.println("lbctl run: director " + Text.safe(name) + " following " + Text.safe(etcd.key) + " at revision "
          + d.status().appliedRevision() + "; SIGTERM stops gracefully (withdraws, deregisters)");
      out.flush();
      stopped.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try {
        d.close();
      } catch (IOException e) {
        err.println("lbctl run: stopping: " + Text.safe(String.valueOf(e.getMessage())));
      }
      store.close();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what is running us down
      }
    }
  }

  /** One line per status change (on the director's thread). */
  private synchronized void print(DirectorStatus s, PrintStream out) {
    String line = "FLEET applied " + s.appliedRevision() + (s.current() ? " (current)" : " (latest " + s.latestRevision()
        + ")") + " announces " + (s.announced().isEmpty() ? "nothing" : String.join(" ", s.announced()))
        + (s.etcdProblem().isEmpty() ? "" : "; etcd " + s.etcdProblem())
        + (s.configError().isEmpty() ? "" : "; config " + s.configError());
    if (!line.equals(last)) {
      last = line;
      out.println(Instant.now() + " " + Text.safe(line));
      out.flush();
    }
  }

  /** SIGTERM: stop and wait (10 s at most) for the graceful close, since the JVM halts when its hooks return. */
  private void stop() {
    stopped.countDown();
    try {
      closed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The announcer of {@code --bgp}: none, FRR through {@code vtysh}, or GoBGP through {@code gobgp}. */
  static VipAnnouncer announcer(String bgp, String vtysh, String gobgp, Long asn) {
    if (gobgp != null && !"gobgp".equals(bgp)) {
      throw new IllegalArgumentException("--gobgp is for --bgp gobgp");
    }
    if (bgp == null || bgp.equals("none")) {
      return VipAnnouncer.none();
    }
    switch (bgp) {
      case "frr" -> {
        if (asn == null) {
          throw new IllegalArgumentException("--bgp frr needs --asn (bgpd's router bgp AS number)");
        }
        return FrrAnnouncer.of(List.of(vtysh.trim().split("\\s+")), asn);
      }
      case "gobgp" -> {
        if (asn != null) {
          throw new IllegalArgumentException("--asn is for --bgp frr: gobgpd's AS number is in its own configuration");
        }
        return GobgpAnnouncer.of(List.of((gobgp == null ? "gobgp" : gobgp).trim().split("\\s+")));
      }
      case "bird" -> throw new IllegalArgumentException("--bgp bird is not supported: use frr or gobgp");
      default -> throw new IllegalArgumentException("--bgp: frr, gobgp or none, not " + bgp);
    }
  }
}

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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code lbctl run --etcd URL --key KEY}: one director of a fleet (lb-fleet's
 * {@link FleetDirector}); this class only wires options, prints and stops on SIGTERM.
 * At start it waits for etcd as long as it takes (a director that boots while etcd is down
 * comes up once it answers; each try has its deadline, a warning every 10 s names the
 * endpoints and the error), and for the key's first {@code lbctl put} alike (a warning every
 * 10 s names the key), and SIGTERM/SIGINT stop that wait at once with status 0.
 */
final class FleetRun {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private String last = "";
  /** The thread starting the director (it may wait for etcd), until the start ends; guarded by this. */
  private Thread starting;

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
    Thread hook = new Thread(() -> stop(err), "lbctl-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.exitZeroOnTerminate(); // from here SIGTERM/SIGINT stop it, also while it waits for etcd
    FleetDirector d = null;
    try {
      synchronized (this) {
        starting = Thread.currentThread();
      }
      try {
        d = FleetDirector.builder(store, name).runtime(rb).announcer(announcer).leaseTtl(leaseTtl)
            .startWait(ChronoUnit.FOREVER.getDuration()).onStatus(s -> print(s, out)).start();
      } catch (IOException | IllegalArgumentException e) {
        if (stopped.getCount() == 0) {
          return 0; // stopped while it waited for etcd or started: nothing to say
        }
        err.println("lbctl run: " + Text.safe(String.valueOf(e.getMessage())));
        return 1;
      } finally {
        synchronized (this) {
          starting = null;
        }
        Thread.interrupted(); // the stop's interrupt, if it came as the start ended: the close below runs in full
      }
      out.println("lbctl run: director " + Text.safe(name) + " following " + Text.safe(etcd.key) + " at revision "
          + d.status().appliedRevision() + "; SIGTERM stops gracefully (withdraws, deregisters)");
      out.flush();
      stopped.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      if (d != null) {
        try {
          d.close();
        } catch (IOException e) {
          err.println("lbctl run: stopping: " + Text.safe(String.valueOf(e.getMessage())));
        }
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

  /**
   * SIGTERM: stop and wait (10 s at most) for the graceful close, since the JVM halts when its hooks return; a close
   * that misses that deadline is said on {@code err} (the VIPs may still be announced, the lease then expires).
   * While the director starts (it may be waiting for etcd) its thread is interrupted, every 100 ms: an
   * interrupt that lands while gRPC sets up its first connection can be lost there.
   */
  private void stop(PrintStream err) {
    stopped.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        boolean waiting;
        synchronized (this) {
          waiting = starting != null;
          if (waiting) {
            starting.interrupt();
          }
        }
        if (closed.await(waiting ? 100 : Math.max(1, deadline - System.nanoTime()), waiting ? TimeUnit.MILLISECONDS
            : TimeUnit.NANOSECONDS)) {
          return;
        }
      }
      err.println("lbctl run: stopping: the director did not close within 10 s; exiting without it");
      err.flush();
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

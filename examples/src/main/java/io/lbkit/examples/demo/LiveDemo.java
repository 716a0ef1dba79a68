package io.lbkit.examples.demo;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.TimerService;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.vrrp.VrrpRouter;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The seed scenario live: two VRRP directors, real HTTP_GET checks against two real
 * local web servers, the Director over the fake IPVS; printed as a timeline. Every
 * wait has a deadline; {@link #close()} (also run by a shutdown hook) stops everything.
 */
final class LiveDemo implements AutoCloseable {
  static final Duration ADVERT = Duration.ofMillis(100);
  static final Duration DELAY_LOOP = Duration.ofSeconds(1);
  static final String VIP = "192.168.0.200";
  private static final Duration START_DEADLINE = Duration.ofSeconds(15);
  private static final Duration CHECK_DEADLINE = Duration.ofSeconds(20);

  private final PrintStream out;
  private final long t0 = System.nanoTime();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService exec = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "lbctl-demo-timers");
    t.setDaemon(true);
    return t;
  });
  private final TimerService timers = TimerService.system(exec);
  private final DemoWebServer[] web = new DemoWebServer[2];
  private final VrrpRouter[] routers = new VrrpRouter[2];
  private volatile Ipvs ipvs;
  private volatile Director director;
  private volatile DemoDirectors directors;
  private volatile MonitoredServices checks;
  private volatile boolean interrupted;

  /** Thrown when something the timeline waits for does not happen before its deadline. */
  static final class Timeout extends Exception {
    Timeout(String what, Duration deadline) {
      super("timed out after " + deadline.toSeconds() + " s waiting for " + what);
    }
  }

  private LiveDemo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the timeline with directors made by {@code where}; returns the exit code.
   * Cleans up on return, on error and, through a shutdown hook, on Ctrl-C.
   */
  static int run(Function<TimerService, DemoDirectors> where, PrintStream out, PrintStream err) throws Exception {
    LiveDemo d = new LiveDemo(out);
    Thread hook = new Thread(() -> {
      d.interrupted = true;
      d.close();
    }, "lbctl-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      d.play(where);
      return 0;
    } catch (Timeout e) {
      err.println("lbctl demo: " + e.getMessage());
      return 1;
    } finally {
      d.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        err.println("lbctl demo: interrupted, cleaned up");
      }
    }
  }

  /** The seed's virtual server; each check connects to where its web server really listens. */
  static VirtualService seedService(DemoWebServer shizune, DemoWebServer tenten) {
    return VirtualService.tcp(VIP, 80).rr().dr().delayLoop(DELAY_LOOP)
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check(shizune)))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check(tenten)));
  }

  private static HttpCheck check(DemoWebServer s) {
    return HttpCheck.get("/test.html").status(200)
        .timing(CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(1)).retry(1, Duration.ofMillis(200)))
        .target(CheckTarget.REAL_SERVER.ip(s.address()).port(s.port()));
  }

  private void play(Function<TimerService, DemoDirectors> where) throws Exception {
    log("timings shortened so the demo takes seconds: advert_int 1 s -> 100 ms (VRRPv3, no auth_pass),"
        + " delay_loop 6 s -> 1 s, connect_timeout 5 s -> 1 s, retry 3 x 3 s -> 1 x 0.2 s");
    directors = where.apply(timers);
    if (closed.get()) {
      directors.close();   // interrupted while they were being made: the hook did not see them
      return;
    }
    log("directors: " + directors.describe());
    web[0] = DemoWebServer.start("shizune");
    web[1] = DemoWebServer.start("tenten");
    for (int i = 0; i < 2; i++) {
      log("web server " + web[i].name() + " plays real server 192.168.0.6" + (i + 1) + ":80, listening on 127.0.0.1:"
          + web[i].port() + " (where its HTTP_GET check's connect_ip/connect_port point)");
      out.println("           $ curl http://127.0.0.1:" + web[i].port() + "/test.html\n           " + web[i].fetch());
    }
    VirtualService service = seedService(web[0], web[1]);
    // real time: the checks' timers run on their own check thread (no hand-off per attempt)
    checks = MonitoredServices.create(HealthMonitor.builder().delayLoop(DELAY_LOOP), this::onHealth);
    ipvs = directors.ipvs();
    director = Director.create(ipvs);
    log("the Director programs the IPVS table (" + directors.ipvsDescription() + "):");
    ops(director.setServices(List.of(service)));
    checks.setServices(List.of(service));

    for (int i = 0; i < 2; i++) {
      routers[i] = router(i, priority(i));
    }
    for (VrrpRouter r : routers) {
      r.start();
    }
    await("one MASTER and one BACKUP", START_DEADLINE,
        () -> java.util.EnumSet.of(state(0), state(1)).equals(java.util.EnumSet.of(VrrpState.MASTER, VrrpState.BACKUP)));
    int master = state(0) == VrrpState.MASTER ? 0 : 1;
    log(name(master) + " is MASTER, " + name(1 - master) + " is BACKUP");
    addresses();
    table("both real servers in rotation");

    log("stopping web server " + web[0].name() + " (real server 192.168.0.61:80)");
    long webStopped = System.nanoTime();
    web[0].stop();
    await("weight 0 for 192.168.0.61:80", CHECK_DEADLINE, () -> weight(service.realServers().get(0)) == 0);
    table(String.format("192.168.0.61 failed its check %.2f s after the stop (at most delay_loop + retry + "
        + "connect_timeout): inhibit_on_failure keeps it at weight 0", (System.nanoTime() - webStopped) / 1e9));

    log("starting web server " + web[0].name() + " again");
    web[0].restart();
    await("weight 1 for 192.168.0.61:80", CHECK_DEADLINE, () -> weight(service.realServers().get(0)) == 1);
    table("192.168.0.61 answers again: back in rotation");

    log("graceful stop of " + name(master) + " (it sends priority 0 and removes the VIP)");
    long stop = System.nanoTime();
    routers[master].close();
    await(name(1 - master) + " MASTER", START_DEADLINE, () -> state(1 - master) == VrrpState.MASTER);
    log(String.format("takeover: %s is MASTER, %.2f s after the stop (skew time %.1f ms: no master-down wait)",
        name(1 - master), (System.nanoTime() - stop) / 1e9, (256 - priority(1 - master)) * ADVERT.toNanos() / 256 / 1e6));
    addresses();
    log("done; cleaning up");
  }

  private VrrpRouter router(int i, int priority) throws IOException {
    VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("V_W", DemoDirectors.IFACE, 51).version(3)
        .priority(priority).advertInterval(ADVERT).preempt(false)
        .virtualAddresses(List.of(VirtualAddress.of(VIP)));
    b.garpMasterDelay = Duration.ZERO;
    b.garpMasterRepeat = 1;
    String name = name(i);
    log(name + " (" + directors.address(i) + "): vrrp_instance V_W, vrid 51, priority " + priority
        + ", nopreempt, starts BACKUP");
    return VrrpRouter.builder(directors.transport(i), directors.addresses(i), timers).instance(b.build())
        .linkStatus(iface -> true)
        .listener((inst, from, to, why) -> log(name + " " + inst + ": " + from + " -> " + to + " (" + why + ")"))
        .build();
  }

  /** director-1 has 101, director-2 100. */
  private static int priority(int i) {
    return 101 - i;
  }

  private static String name(int i) {
    return "director-" + (i + 1);
  }

  private VrrpState state(int i) {
    return routers[i].instance("V_W").state();
  }

  /** Synchronized with {@link #table} so that a change prints before the table showing it. */
  private synchronized void onHealth(HealthEvent e) {
    log("check of " + e.real().address().getHostAddress() + ":" + e.real().port() + (e.up() ? ": UP" : ": DOWN")
        + " (" + e.reason() + ")");
    try {
      ops(director.onHealth(e));
    } catch (IOException x) {
      log("  the Director could not apply it: " + x.getMessage());
    }
  }

  private int weight(RealServer real) throws IOException {
    for (ServiceSnapshot s : ipvs.services()) {
      for (ServiceSnapshot.DestSnapshot d : s.dests()) {
        if (d.dest().key().equals(real.key())) {
          return d.dest().weight();
        }
      }
    }
    return -1;
  }

  private synchronized void ops(Reconciliation r) {
    for (IpvsOp op : r.applied()) {
      out.println("           ipvsadm " + op);
    }
    for (var f : r.failed()) {
      out.println("           FAILED ipvsadm " + f.op() + ": " + f.error().getMessage());
    }
  }

  private synchronized void addresses() {
    for (int i = 0; i < 2; i++) {
      out.println("           " + name(i) + " " + directors.showCommand(i));
      for (String line : directors.show(i)) {
        out.println("               " + line);
      }
    }
  }

  private synchronized void table(String why) throws IOException {
    log(why + ":");
    out.println("           # ipvsadm -L -n");
    for (String line : IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, false)
        .split("\n")) {
      out.println("           " + line);
    }
  }

  private synchronized void log(String what) {
    out.printf("[%6.2fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
    out.flush();
  }

  /** Polls {@code condition} every 20 ms until it holds or the deadline passes. */
  private static void await(String what, Duration deadline, Check condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new Timeout(what, deadline);
      }
      Thread.sleep(20);
    }
  }

  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  /** Stops routers (gracefully), checks, web servers, directors' namespaces and timers; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (VrrpRouter r : routers) {
      if (r != null) {
        r.close();
      }
    }
    if (checks != null) {
      checks.close();
    }
    for (DemoWebServer w : web) {
      if (w != null) {
        w.close();
      }
    }
    if (directors != null) {
      directors.close();
    }
    exec.shutdownNow();
    try {
      if (!exec.awaitTermination(5, TimeUnit.SECONDS)) {
        out.println("lbctl demo: timer threads still busy after 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log((interrupted ? "interrupted; " : "") + "cleaned up"
        + (directors == null ? "" : ": " + directors.cleanedUp()));
  }
}

package io.lbkit.vrrp.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.harness.Tiers;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpRouter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: lbkit routers on raw sockets in namespaces the test makes, against
 * each other and against the real keepalived daemon. Timing bounds are the RFC's
 * plus a tolerance for a loaded 2-core machine.
 */
class VrrpNetnsTest {
  static final long TOLERANCE_MS = 400;
  /**
   * The deadline of a wait for a state that is not itself a timing bound under test (a start-up
   * election, a VIP added or removed by ip(8)): generous, so that a slow or loaded machine does
   * not fail it; the measured takeovers keep their RFC bound plus {@link #TOLERANCE_MS}.
   */
  static final long SETTLE_MS = 15_000;

  Lab lab;
  ScheduledExecutorService exec;

  @BeforeAll
  static void root() {
    Tiers.requireRoot("creates network namespaces and raw sockets");
    Tiers.requireProgram("keepalived");
    Tiers.requireProgram("tcpdump");
  }

  @BeforeEach
  void setUp() throws Exception {
    lab = new Lab();
    exec = Executors.newScheduledThreadPool(2);
  }

  @AfterEach
  void tearDown() throws Exception {
    exec.shutdownNow();
    exec.awaitTermination(5, TimeUnit.SECONDS);
    lab.close();
  }

  /** When each router last became MASTER (nanoTime), recorded by a listener on the protocol thread. */
  static final java.util.Map<VrrpRouter, Long> MASTER_AT = new java.util.concurrent.ConcurrentHashMap<>();

  VrrpRouter lbkit(String ns, VrrpInstanceSpec spec) throws Exception {
    VrrpRouter[] self = new VrrpRouter[1];
    VrrpRouter r = VrrpRouter.builder(RawVrrpTransport.open(ns), lab.addresses(ns), TimerService.system(exec))
        .linkStatus(i -> true).instance(spec).notifyExecutor(Runnable::run)
        .listener((name, from, to, why) -> {
          if (to == VrrpState.MASTER && self[0] != null) {
            MASTER_AT.put(self[0], System.nanoTime());
          }
        }).build();
    self[0] = r;
    r.start();
    return r;
  }

  static VrrpInstanceSpec.Builder spec(int version, int prio, Duration advert, String vip) {
    VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1", "eth0", 51).version(version).priority(prio)
        .advertInterval(advert).virtualAddresses(List.of(VirtualAddress.of(vip)));
    b.garpMasterDelay = Duration.ZERO;
    b.garpMasterRepeat = 1;
    return b;
  }

  static boolean await(VrrpRouter r, VrrpState s, long millis) throws InterruptedException {
    return awaitAt(r, s, millis) > 0;
  }

  /** Polls (1 ms) until the instance is in {@code s}; the nanoTime it was seen, or -1 after the deadline. */
  static long awaitAt(VrrpRouter r, VrrpState s, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (true) {
      long now = System.nanoTime();
      if (r.instance("VI_1").state() == s) {
        Long at = s == VrrpState.MASTER ? MASTER_AT.get(r) : null;
        return at != null ? at : now;
      }
      if (now > end) {
        return -1;
      }
      Thread.sleep(1);
    }
  }

  static void report(String what, long t0, long t1, String bound) {
    System.out.println(what + ": " + String.format("%.1f", (t1 - t0) / 1e6) + " ms (" + bound + ")");
  }

  /** tcpdump in {@code ns}, started and listening. */
  static Process tcpdump(String ns, String filter) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "20", "tcpdump", "-l", "-n", "-i", "eth0",
        "-c", "1", filter).redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long end = System.nanoTime() + 10_000_000_000L;
    String line;
    while (System.nanoTime() < end && (line = r.readLine()) != null) {
      if (line.contains("listening on")) {
        return p;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("tcpdump did not start in " + ns);
  }

  static String output(Process p) throws Exception {
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void lbkitPair_v3_electionGarpCutHealAndGracefulStop() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.2/24");
    Duration adv = Duration.ofMillis(100);
    Process dump = tcpdump(b, "arp");
    try (VrrpRouter rb = lbkit(b, spec(3, 100, adv, "10.9.0.100").build());
         VrrpRouter ra = lbkit(a, spec(3, 150, adv, "10.9.0.100").build())) {
      assertThat(await(ra, VrrpState.MASTER, SETTLE_MS)).as("A master").isTrue();
      assertThat(lab.await(a, "10.9.0.100", true, SETTLE_MS)).isPositive();
      // B may have been master before A started; it yields to 150 and removes its VIP
      assertThat(await(rb, VrrpState.BACKUP, SETTLE_MS)).isTrue();
      assertThat(lab.await(b, "10.9.0.100", false, SETTLE_MS)).isPositive();
      assertThat(output(dump)).contains("10.9.0.100");

      // hard failure: A falls off the link; B takes over within its master-down interval (360.9 ms)
      long t0 = System.nanoTime();
      lab.cut("a");
      long t1 = awaitAt(rb, VrrpState.MASTER, 361 + 100 + TOLERANCE_MS);
      assertThat(t1).as("B master after cut").isPositive();
      report("lbkit<->lbkit v3 100ms, takeover after link cut", t0, t1, "bound 360.9 + up to 100 since last advert");
      lab.heal("a");
      assertThat(await(rb, VrrpState.BACKUP, SETTLE_MS)).as("B yields to A again after the heal").isTrue();
      assertThat(List.of(ra.instance("VI_1").state(), rb.instance("VI_1").state()))
          .containsExactly(VrrpState.MASTER, VrrpState.BACKUP);

      // graceful stop: priority 0, B takes over after its skew time (60.9 ms)
      t0 = System.nanoTime();
      ra.close();
      // the receive thread polls with a 5 s bound; close wakes it (shutdown before close) and joins it
      assertThat((System.nanoTime() - t0) / 1_000_000).as("close returned promptly (ms)").isLessThan(1000);
      assertThat(lab.has(a, "10.9.0.100")).isFalse();
      t1 = awaitAt(rb, VrrpState.MASTER, 61 + TOLERANCE_MS);
      assertThat(t1).as("B master after graceful stop").isPositive();
      report("lbkit<->lbkit v3 100ms, takeover after graceful stop", t0, t1, "skew 60.9");
      assertThat(lab.await(b, "10.9.0.100", true, SETTLE_MS)).isPositive();
    }
    assertThat(lab.has(b, "10.9.0.100")).as("VIP removed on close").isFalse();
  }

  @Test
  void keepalivedMaster_v2Pass_lbkitBackup_kill9TakeoverWithinMasterDown() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.2/24");
    String auth = "  authentication {\n    auth_type PASS\n    auth_pass s3cret99\n  }\n";
    try (Keepalived ka = new Keepalived(a, Keepalived.config(2, "eth0", 51, 150, "1", "10.9.0.100/32", auth));
         VrrpRouter rb = lbkit(b, spec(2, 100, Duration.ofSeconds(1), "10.9.0.100").authPass("s3cret99").build())) {
      assertThat(lab.await(a, "10.9.0.100", true, SETTLE_MS)).as("keepalived master; log:\n%s", ka.log()).isPositive();
      Thread.sleep(1500);
      assertThat(rb.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
      assertThat(rb.instance("VI_1").counters().get("received")).isPositive();
      assertThat(rb.instance("VI_1").counters().get("dropped_auth")).isZero();
      ka.kill9();
      long t0 = System.nanoTime();
      long t1 = awaitAt(rb, VrrpState.MASTER, 3610 + TOLERANCE_MS);
      assertThat(t1).as("lbkit master after kill -9").isPositive();
      report("keepalived->lbkit v2 1s PASS, takeover after kill -9", t0, t1, "bound 3609.4");
      assertThat(lab.await(b, "10.9.0.100", true, SETTLE_MS)).isPositive();
    }
  }

  @Test
  void cutAndHeal_equalPriority_lbkitWinsTieBreakOverKeepalived_v3_gracefulStopHandsOver() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.130/24");
    try (Keepalived ka = new Keepalived(a, Keepalived.config(3, "eth0", 52, 100, "0.1", "10.9.0.101/32", ""))) {
      VrrpInstanceSpec s = VrrpInstanceSpec.builder("VI_1", "eth0", 52).version(3).priority(100)
          .advertInterval(Duration.ofMillis(100)).virtualAddresses(List.of(VirtualAddress.of("10.9.0.101"))).build();
      VrrpRouter rb = lbkit(b, s);
      try {
        // Whoever is master first stays (a backup yields to an equal priority). Cut the link so that both
        // are masters, heal it: with equal priority 10.9.0.130 > 10.9.0.1 compared unsigned, so exactly
        // one master remains, lbkit, and keepalived removes its VIP.
        Thread.sleep(800);
        lab.cut("a");
        assertThat(await(rb, VrrpState.MASTER, SETTLE_MS)).isTrue();
        assertThat(lab.await(a, "10.9.0.101", true, SETTLE_MS)).as("keepalived master while cut").isPositive();
        lab.heal("a");
        assertThat(lab.await(a, "10.9.0.101", false, SETTLE_MS)).as("keepalived backup after heal; log:\n%s", ka.log())
            .isPositive();
        Thread.sleep(500);
        assertThat(rb.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
        assertThat(lab.has(a, "10.9.0.101")).isFalse();
        long t0 = System.nanoTime();
        rb.close();
        long t1 = lab.await(a, "10.9.0.101", true, 61 + TOLERANCE_MS + 200);
        assertThat(t1).as("keepalived master after lbkit's priority 0").isPositive();
        report("lbkit->keepalived v3 100ms: takeover after graceful stop (5 ms polling of ip addr)", t0, t1,
            "skew 60.9");
      } finally {
        rb.close();
      }
    }
  }

  @Test
  void keepalivedMaster_v3Ipv6_lbkitBackup_sigtermTakeoverAfterSkew() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.2/24");
    Thread.sleep(300); // link-local addresses
    try (Keepalived ka = new Keepalived(a, Keepalived.config(3, "eth0", 53, 150, "0.1", "2001:db8::100/128", ""))) {
      VrrpInstanceSpec s = VrrpInstanceSpec.builder("VI_1", "eth0", 53).version(3).family(Family.INET6)
          .priority(100).advertInterval(Duration.ofMillis(100))
          .virtualAddresses(List.of(VirtualAddress.of("2001:db8::100"))).build();
      try (VrrpRouter rb = lbkit(b, s)) {
        assertThat(lab.await(a, "2001:db8::100", true, SETTLE_MS)).as("keepalived master; log:\n%s", ka.log())
            .isPositive();
        Thread.sleep(500);
        assertThat(rb.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(rb.instance("VI_1").masterAddress().isLinkLocalAddress()).isTrue();
        long t0 = System.nanoTime();
        ka.term();
        // keepalived's own shutdown work comes before its priority-0 advert, hence the extra allowance
        long t1 = awaitAt(rb, VrrpState.MASTER, 61 + TOLERANCE_MS + 500);
        assertThat(t1).isPositive();
        report("keepalived->lbkit v3 IPv6 100ms, takeover after SIGTERM", t0, t1, "skew 60.9 + keepalived shutdown");
        ka.awaitExit();
      }
    }
  }

  @Test
  void unicast_keepalivedMaster_lbkitBackup_nopreemptLbkitStaysBackupThenTakesOver() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.2/24");
    String uni = "  unicast_src_ip 10.9.0.1\n  unicast_peer {\n    10.9.0.2\n  }\n";
    try (Keepalived ka = new Keepalived(a, Keepalived.config(3, "eth0", 54, 100, "0.1", "10.9.0.102/32", uni))) {
      assertThat(lab.await(a, "10.9.0.102", true, SETTLE_MS)).as("keepalived master; log:\n%s", ka.log()).isPositive();
      VrrpInstanceSpec s = VrrpInstanceSpec.builder("VI_1", "eth0", 54).version(3).priority(200)
          .advertInterval(Duration.ofMillis(100)).preempt(false)
          .unicast(Inet.parse("10.9.0.2"), List.of(Inet.parse("10.9.0.1")))
          .virtualAddresses(List.of(VirtualAddress.of("10.9.0.102"))).build();
      try (VrrpRouter rb = lbkit(b, s)) {
        Thread.sleep(1000);
        assertThat(rb.instance("VI_1").state()).as("nopreempt").isEqualTo(VrrpState.BACKUP);
        ka.kill9();
        long t0 = System.nanoTime();
        // master-down at priority 200, 100 ms: 300 + 21.9 ms after the last advert
        long t1 = awaitAt(rb, VrrpState.MASTER, 322 + TOLERANCE_MS);
        assertThat(t1).isPositive();
        report("keepalived->lbkit unicast v3 100ms, takeover after kill -9", t0, t1, "bound 321.9");
      }
    }
  }

  @Test
  void preemption_bothWays_v3_lbkitAndKeepalived() throws Exception {
    String a = lab.router("a", "10.9.0.1/24");
    String b = lab.router("b", "10.9.0.2/24");
    VrrpInstanceSpec s = spec(3, 100, Duration.ofMillis(100), "10.9.0.103").build();
    try (VrrpRouter rb = lbkit(b, s)) {
      assertThat(await(rb, VrrpState.MASTER, SETTLE_MS)).isTrue();
      try (Keepalived ka = new Keepalived(a, Keepalived.config(3, "eth0", 51, 150, "0.1", "10.9.0.103/32", ""))) {
        // keepalived (150) preempts lbkit (100)
        assertThat(lab.await(a, "10.9.0.103", true, SETTLE_MS)).as("keepalived preempts; log:\n%s", ka.log()).isPositive();
        assertThat(await(rb, VrrpState.BACKUP, SETTLE_MS)).isTrue();
        assertThat(lab.await(b, "10.9.0.103", false, SETTLE_MS)).as("lbkit removed its VIP").isPositive();
      }
    }
    try (Keepalived ka = new Keepalived(a, Keepalived.config(3, "eth0", 51, 100, "0.1", "10.9.0.103/32", ""))) {
      assertThat(lab.await(a, "10.9.0.103", true, SETTLE_MS)).isPositive();
      try (VrrpRouter rb = lbkit(b, spec(3, 150, Duration.ofMillis(100), "10.9.0.103").build())) {
        // lbkit (150) preempts keepalived (100)
        assertThat(await(rb, VrrpState.MASTER, SETTLE_MS)).isTrue();
        assertThat(lab.await(a, "10.9.0.103", false, SETTLE_MS)).as("keepalived removed its VIP; log:\n%s", ka.log())
            .isPositive();
      }
    }
  }
}

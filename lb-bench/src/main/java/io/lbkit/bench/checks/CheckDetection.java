package io.lbkit.bench.checks;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.testing.FakeIpvs;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Detection latency, end to end: {@code CheckDetection BACKENDS KILLS DELAY_LOOP_MS TIMEOUT_MS
 * RETRY DELAY_BEFORE_RETRY_MS}. BACKENDS HTTP servers (a separate native process when
 * {@code -Dbackends=BINARY} is given) are real servers (inhibit_on_failure) of one virtual
 * service run by a {@link LoadBalancer} over a FakeIpvs, checked with HTTP_GET through
 * {@link MonitoredServices}. Then KILLS backends stop listening (refused) and KILLS others
 * accept and stay silent, one every 10-60 ms so the kills fall at every phase of the check
 * cycle; each latency is from the kill to the Director setting that real server's weight to 0
 * in IPVS. Reported as median/p90/max against keepalived's worst case:
 * refused: delay_loop + retry × delay_before_retry; silent: delay_loop + (retry + 1) ×
 * connect_timeout + retry × delay_before_retry. Bounded: at most 2 × the bound + 10 s of waiting.
 */
public final class CheckDetection {
  private CheckDetection() {}

  /** Runs it; see the class comment. */
  public static void main(String[] args) throws Exception {
    int[] a = Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    int n = a.length > 0 ? a[0] : 200;
    int kills = a.length > 1 ? a[1] : 50;
    Duration loop = Duration.ofMillis(a.length > 2 ? a[2] : 1000);
    Duration timeout = Duration.ofMillis(a.length > 3 ? a[3] : 1000);
    int retry = a.length > 4 ? a[4] : 1;
    Duration dbr = Duration.ofMillis(a.length > 5 ? a[5] : 500);
    if (n < 2 * kills + 1 || kills < 1 || n > 10_000) {
      throw new IllegalArgumentException("want BACKENDS > 2 × KILLS, 1-10000 backends: " + n + " " + kills);
    }
    long refusedBound = loop.toMillis() + retry * dbr.toMillis();
    long silentBound = refusedBound + (retry + 1L) * timeout.toMillis();
    String binary = System.getProperty("backends", "");
    TimedIpvs ipvs = new TimedIpvs(new FakeIpvs());
    try (Servers backends = binary.isEmpty() ? new Backends(n)
            : new NativeBackends(Path.of(binary), n, (int) (silentBound * 4 / 1000) + 120);
        LoadBalancer lb = LoadBalancer.builder(ipvs).healthChecking(l -> MonitoredServices.create(
            HealthMonitor.builder().delayLoop(loop), l)).build()) {
      CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(timeout).retry(retry, dbr).warmup(loop);
      VirtualService vs = VirtualService.tcp("192.0.2.10", 80).rr().nat().delayLoop(loop);
      List<RealServerKey> reals = new ArrayList<>();
      for (InetSocketAddress s : backends.addresses()) {
        RealServer r = RealServer.of(s.getAddress(), s.getPort()).inhibitOnFailure()
            .check(HttpCheck.get("/health").timing(timing));
        vs = vs.add(r);
        reals.add(r.key());
      }
      lb.apply(LoadBalancerSpec.of(List.of(vs)));
      Thread.sleep(2 * loop.toMillis() + 1000); // every backend checked at least once
      int early = ipvs.switchedOut().size();
      ipvs.reset();
      long[] s0 = HttpCheckLoad.schedstat().get("lbkit-checks");
      Map<RealServerKey, Long> killedAt = new HashMap<>();
      Map<RealServerKey, String> how = new HashMap<>();
      for (int i = 0; i < kills; i++) {
        kill(backends, i, reals, killedAt, how, "refused");
        kill(backends, n - 1 - i, reals, killedAt, how, "silent");
      }
      long deadline = System.nanoTime() + (2 * silentBound + 10_000) * 1_000_000L;
      while (ipvs.switchedOut().size() < 2 * kills && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long[] s1 = HttpCheckLoad.schedstat().get("lbkit-checks");
      int acked = 0;
      for (int i = 0; i < n; i++) {
        long at = backends.appliedAt(i);
        if (at > 0 && killedAt.containsKey(reals.get(i))) {
          killedAt.put(reals.get(i), at); // from when the server really changed, not when we asked
          acked++;
        }
      }
      System.out.printf("detection: %d backends (%s), delay_loop %d ms, connect_timeout %d ms, retry %d, "
          + "delay_before_retry %d ms; %d switched out before the kills; %d of %d kill times as the server "
          + "applied them; load average %.2f%n", n, backends.describe(), loop.toMillis(), timeout.toMillis(), retry,
          dbr.toMillis(), early, acked, 2 * kills,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (s0 != null && s1 != null && s1[2] > s0[2]) {
        System.out.printf("check thread meanwhile: %d runs, waited for a CPU %.2f ms per run on average, %d ms in "
            + "all (kernel schedstat: what the host's load adds to every timer)%n", s1[2] - s0[2],
            (s1[1] - s0[1]) / 1e6 / (s1[2] - s0[2]), (s1[1] - s0[1]) / 1_000_000);
      }
      report("refused", "delay_loop + retry*delay_before_retry", refusedBound, killedAt, how, ipvs);
      report("silent", "delay_loop + (retry+1)*connect_timeout + retry*delay_before_retry", silentBound, killedAt,
          how, ipvs);
    }
  }

  private static void kill(Servers backends, int i, List<RealServerKey> reals, Map<RealServerKey, Long> killedAt,
      Map<RealServerKey, String> how, String mode) throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(10, 60)); // spread over the check cycle
    RealServerKey r = reals.get(i);
    how.put(r, mode);
    killedAt.put(r, System.nanoTime());
    if (mode.equals("refused")) {
      backends.kill(i);
    } else {
      backends.hang(i);
    }
  }

  private static void report(String mode, String formula, long boundMs, Map<RealServerKey, Long> killedAt,
      Map<RealServerKey, String> how, TimedIpvs ipvs) {
    List<Long> ms = new ArrayList<>();
    int total = 0;
    for (Map.Entry<RealServerKey, String> e : how.entrySet()) {
      if (e.getValue().equals(mode)) {
        total++;
        Long out = ipvs.switchedOut().get(e.getKey());
        if (out != null) {
          ms.add((out - killedAt.get(e.getKey())) / 1_000_000);
        }
      }
    }
    ms.sort(null);
    if (ms.isEmpty()) {
      System.out.printf("DETECTION %s: none of %d switched out in time%n", mode, total);
      return;
    }
    long over = ms.stream().filter(m -> m > boundMs).count();
    System.out.printf("DETECTION %s: %d/%d switched out; median=%d ms p90=%d ms max=%d ms; bound %d ms (%s); "
        + "max/bound=%.2f; over the bound: %d%n", mode, ms.size(), total, ms.get(ms.size() / 2),
        ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), boundMs, formula,
        (double) ms.get(ms.size() - 1) / boundMs, over);
  }
}

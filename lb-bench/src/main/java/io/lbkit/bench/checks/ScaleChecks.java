package io.lbkit.bench.checks;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.testing.FakeIpvs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The checks part of {@code scripts/scale.sh}: local HTTP backends in a separate native
 * process, and every real server of a spec checked (its HTTP_GET, connect_ip/port pointing
 * at those backends) by the stock {@link MonitoredServices} of a {@link LoadBalancer} over a
 * FakeIpvs, on {@code -DcheckThreads=N} check threads (default 1); reports checks/s, the check
 * threads' timer lag ({@link HealthMonitor#timerLag}), the CPU per check of the check threads
 * (ThreadMXBean), of this whole JVM and of the backends' process (/proc: they run on the same
 * cores, so their CPU is not the checker's, but it competes for it), the share of a core the
 * check threads got, and the heap after GC with the checks running.
 */
public final class ScaleChecks implements AutoCloseable {
  /** {@code -DcheckThreads=N}: the monitor's check threads (default 1). */
  static final int THREADS = Integer.getInteger("checkThreads", 1);
  private final NativeBackends backends;

  private ScaleChecks(NativeBackends backends) {
    this.backends = backends;
  }

  /** Starts {@code count} backends from the {@code backends.c} binary, alive for {@code seconds}. */
  public static ScaleChecks start(Path binary, int count, int seconds) throws Exception {
    return new ScaleChecks(new NativeBackends(binary, count, seconds));
  }

  /** Where they listen. */
  public List<InetSocketAddress> addresses() {
    return backends.addresses();
  }

  /**
   * Runs the spec's checks for {@code warmSeconds} and then measures {@code seconds}; returns
   * "checks/s=… lag-p50-ms=… lag-p99-ms=… lag-max-ms=… down=… heap-with-checks-B/real=…".
   */
  public String measure(LoadBalancerSpec spec, int reals, int warmSeconds, int seconds, long baseHeap)
      throws Exception {
    AtomicLong down = new AtomicLong();
    AtomicReference<MonitoredServices> ms = new AtomicReference<>();
    try (LoadBalancer lb = LoadBalancer.builder(new FakeIpvs()).withoutFailover()
        .healthChecking(l -> {
          MonitoredServices m = MonitoredServices.create(HealthMonitor.builder().checkThreads(THREADS), l);
          ms.set(m);
          return m;
        }).build()) {
      lb.addHealthListener(e -> {
        if (!e.up()) {
          down.incrementAndGet();
        }
      });
      long s0 = backends.served();
      lb.apply(spec);
      HealthMonitor monitor = ms.get().monitor();
      Thread.sleep(warmSeconds * 1000L);
      monitor.timerLag(true);
      long a0 = monitor.attempts();
      long cpu0 = checkThreadsCpu();
      long proc0 = processCpu();
      long back0 = backendsCpu();
      String load0 = load();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long a1 = monitor.attempts();
      double wall = (System.nanoTime() - t0) / 1e9;
      long cpu = checkThreadsCpu() - cpu0;
      long proc = processCpu() - proc0;
      long back = backendsCpu() - back0;
      HealthMonitor.TimerLag lag = monitor.timerLag(false);
      long heap = io.lbkit.bench.scale.Heap.usedAfterGc() - baseHeap;
      double n = Math.max(1, a1 - a0);
      return String.format("check-threads=%d checks/s=%.0f (asked %.0f) lag-p50-ms=%.1f lag-p99-ms=%.1f "
          + "lag-max-ms=%.1f timers=%d check-cpu-us/check=%.1f process-cpu-us/check=%.1f backends-cpu-us/check=%.1f "
          + "check-threads-core-share=%.2f load=%s..%s down-events=%d served=%d heap-with-checks-B/real=%d",
          THREADS, (a1 - a0) / wall, reals / 6.0, lag.p50().toNanos() / 1e6, lag.p99().toNanos() / 1e6,
          lag.max().toNanos() / 1e6, lag.count(), cpu / 1e3 / n, proc / 1e3 / n, back / 1e3 / n, cpu / 1e9 / wall,
          load0, load(), down.get(), backends.served() - s0, heap / reals);
    }
  }

  /** CPU time of the check threads (named lbkit-checks*), ns. */
  private static long checkThreadsCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("lbkit-checks")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** This JVM's CPU time, ns. */
  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The backends' process CPU time (user + system, /proc/PID/stat, 10 ms ticks), ns; 0 if unreadable. */
  private long backendsCpu() {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + backends.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime (fields 14, 15)
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    backends.close();
  }
}

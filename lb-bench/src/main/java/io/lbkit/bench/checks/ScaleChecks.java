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
 * FakeIpvs, on the default one check thread; reports checks/s, the check thread's timer lag
 * ({@link HealthMonitor#timerLag}) and the heap after GC with the checks running.
 */
public final class ScaleChecks implements AutoCloseable {
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
          MonitoredServices m = MonitoredServices.create(HealthMonitor.builder(), l);
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
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long a1 = monitor.attempts();
      double wall = (System.nanoTime() - t0) / 1e9;
      HealthMonitor.TimerLag lag = monitor.timerLag(false);
      long heap = io.lbkit.bench.scale.Heap.usedAfterGc() - baseHeap;
      return String.format("checks/s=%.0f (asked %.0f) lag-p50-ms=%.1f lag-p99-ms=%.1f lag-max-ms=%.1f timers=%d "
          + "down-events=%d served=%d heap-with-checks-B/real=%d", (a1 - a0) / wall, reals / 6.0,
          lag.p50().toNanos() / 1e6, lag.p99().toNanos() / 1e6, lag.max().toNanos() / 1e6, lag.count(), down.get(),
          backends.served() - s0, heap / reals);
    }
  }

  @Override
  public void close() {
    backends.close();
  }
}

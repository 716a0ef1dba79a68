package io.lbkit.bench.vrrp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What one wake-up of an idle thread costs on this machine, by how long it slept: a thread
 * that does nothing but sleep (LockSupport.parkNanos, as the JDK's executors and lbkit's
 * receive thread do) for a period and wake, measured from its schedstat (CPU time and times
 * it was put on a CPU) as IdleCostBench measures lbkit's and keepalived's threads. An idle
 * director's CPU is mostly such wake-ups, so this is the floor under IdleCostBench's figures.
 *
 * <pre>java [run's JVM options] -cp benchmarks.jar io.lbkit.bench.vrrp.WakeCost [PERIODS_MS] [MIN_WAKES] [MIN_SECONDS]</pre>
 *
 * <p>Prints a line per period and a final line beginning {@code WAKE}. Linux only (schedstat).
 */
public final class WakeCost {
  private WakeCost() {}

  /** Entry point: periods in ms (comma-separated, default 10,100,500,1000,3000), wake-ups and seconds at least. */
  public static void main(String[] args) throws Exception {
    String[] periods = (args.length > 0 ? args[0] : "10,100,500,1000,3000").split(",");
    int minWakes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int minSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    StringBuilder summary = new StringBuilder("WAKE");
    for (String p : periods) {
      long periodMs = Long.parseLong(p.trim());
      if (periodMs <= 0 || periodMs > 60_000) {
        throw new IllegalArgumentException("period out of range (1..60000 ms): " + p);
      }
      double us = measure(periodMs, minWakes, minSeconds);
      summary.append(String.format(Locale.ROOT, " %dms=%.1fus", periodMs, us));
    }
    System.out.println(summary);
  }

  private static double measure(long periodMs, int minWakes, int minSeconds) throws Exception {
    long windowMs = Math.max(minSeconds * 1000L, periodMs * minWakes);
    Thread t = new Thread(() -> sleepLoop(periodMs), "wake-" + periodMs);
    t.setDaemon(true);
    t.start();
    Thread.sleep(Math.max(1000, 2 * periodMs)); // started, its first wake-ups behind it
    Path stat = schedstat(t.getName());
    long[] a = read(stat);
    Thread.sleep(windowMs);
    long[] b = read(stat);
    t.interrupt();
    t.join(periodMs + 5000);
    long runs = b[1] - a[1];
    double us = (b[0] - a[0]) / 1000.0 / Math.max(1, runs);
    System.out.printf(Locale.ROOT, "sleep %5d ms: %7.1f us of CPU per wake-up (%d wake-ups in %.0f s)%n", periodMs, us, runs,
        windowMs / 1000.0);
    return us;
  }

  private static void sleepLoop(long periodMs) {
    long nanos = periodMs * 1_000_000L;
    while (!Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(nanos);
    }
  }

  /** This process's thread named {@code name}: its /proc schedstat file. */
  private static Path schedstat(String name) throws IOException {
    Path tasks = Path.of("/proc/self/task");
    try (var dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        if (Files.readString(task.resolve("comm")).strip().equals(name)) {
          return task.resolve("schedstat");
        }
      }
    }
    throw new IllegalStateException("no thread " + name + " under " + tasks);
  }

  /** CPU nanoseconds and times put on a CPU. */
  private static long[] read(Path stat) throws IOException {
    String[] f = Files.readString(stat).strip().split(" ");
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])};
  }
}

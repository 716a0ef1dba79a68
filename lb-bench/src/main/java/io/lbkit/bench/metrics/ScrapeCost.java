package io.lbkit.bench.metrics;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time and allocation of one {@code /metrics} scrape ({@link ScrapeFixture}), robust on
 * a loaded machine: the scraping thread's CPU time (ThreadMXBean), the whole process's CPU
 * time (GC and JIT threads included) and the bytes the thread allocated, per scrape, after
 * a warm-up; also the series count and the size of the text.
 * {@code java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.metrics.ScrapeCost [REALS,...] [SCRAPES] [WARMUP]
 * [MODE,...]} (defaults 1000,10000, 30, 30, lbctl,lbctl-detail,meters; modes: {@link ScrapeFixture}).
 */
public final class ScrapeCost {
  private ScrapeCost() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "1000,10000").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    String[] modes = (args.length > 3 ? args[3] : "lbctl,lbctl-detail,meters").split(",");
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int reals : sizes) {
      for (String mode : modes) {
        measure(reals, mode, scrapes, warmup, threads, os);
      }
    }
  }

  private static void measure(int reals, String mode, int scrapes, int warmup,
      com.sun.management.ThreadMXBean threads, com.sun.management.OperatingSystemMXBean os) throws Exception {
    try (ScrapeFixture f = new ScrapeFixture(reals, mode)) {
      byte[] text = {};
      for (int i = 0; i < warmup; i++) {
        text = f.scrape();
      }
      long[] cpu = new long[scrapes];
      long[] proc = new long[scrapes];
      long[] alloc = new long[scrapes];
      long[] wall = new long[scrapes];
      for (int i = 0; i < scrapes; i++) {
        long p0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        text = f.scrape();
        alloc[i] = threads.getCurrentThreadAllocatedBytes() - a0;
        cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        wall[i] = System.nanoTime() - w0;
        proc[i] = os.getProcessCpuTime() - p0;
      }
      long series = new String(text, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty() && l.charAt(0) != '#').count();
      System.out.printf(Locale.ROOT,
          "mode=%s reals=%d series=%d text=%.2f MB | thread CPU ms/scrape median %.1f min %.1f max %.1f"
              + " | process CPU ms median %.1f | wall ms median %.1f | allocated MB/scrape median %.2f"
              + " (%d scrapes after %d)%n",
          mode, reals, series, text.length / 1e6, median(cpu) / 1e6,
          min(cpu) / 1e6, max(cpu) / 1e6, median(proc) / 1e6, median(wall) / 1e6, median(alloc) / 1e6, scrapes,
          warmup);
    }
  }

  private static double median(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static long min(long[] a) {
    return Arrays.stream(a).min().orElse(0);
  }

  private static long max(long[] a) {
    return Arrays.stream(a).max().orElse(0);
  }
}

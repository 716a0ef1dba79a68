package io.lbkit.bench.metrics;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time and allocation of one {@code /metrics} scrape ({@link ScrapeFixture}), robust on
 * a loaded machine: the scraping thread's CPU time (ThreadMXBean), the whole process's CPU
 * time (GC and JIT threads included) and the bytes the thread allocated, per scrape, after
 * a warm-up; also the series count and the size of the text.
 * {@code java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.metrics.ScrapeCost [REALS,...] [SCRAPES] [WARMUP]
 * [MODE,...]} (defaults 1000,10000, 30, 30, lbctl,lbctl-detail,meters; modes: {@link ScrapeFixture}).
 * Under the JVM options lbctl's launcher gives {@code run --http}: {@code lb-bench/scripts/scrape-cost.sh}.
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
      for (int i = 0; i < warmup; i++) {
        f.churn();
        f.scrape();
      }
      Map<String, Long> tasks0 = tasks();
      long[] cpu = new long[scrapes];
      long[] proc = new long[scrapes];
      long[] alloc = new long[scrapes];
      long[] wall = new long[scrapes];
      for (int i = 0; i < scrapes; i++) {
        f.churn();
        long p0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        f.scrape();
        alloc[i] = threads.getCurrentThreadAllocatedBytes() - a0;
        cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        wall[i] = System.nanoTime() - w0;
        proc[i] = os.getProcessCpuTime() - p0;
      }
      String others = others(tasks0, tasks(), scrapes);
      byte[] text = f.text();
      long series = new String(text, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty() && l.charAt(0) != '#').count();
      System.out.printf(Locale.ROOT,
          "mode=%s reals=%d series=%d text=%.2f MB | thread CPU ms/scrape median %.1f min %.1f max %.1f"
              + " | process CPU ms median %.1f | wall ms median %.1f | allocated MB/scrape median %.2f"
              + " (%d scrapes after %d) | other threads ms/scrape: %s%n",
          mode, reals, series, text.length / 1e6, median(cpu) / 1e6,
          min(cpu) / 1e6, max(cpu) / 1e6, median(proc) / 1e6, median(wall) / 1e6, median(alloc) / 1e6, scrapes,
          warmup, others);
    }
  }

  /** CPU ticks of each of this process's threads by name ({@code /proc/self/task}: GC and JIT threads too). */
  private static Map<String, Long> tasks() {
    Map<String, Long> out = new HashMap<>();
    File[] dirs = new File("/proc/self/task").listFiles();
    for (File d : dirs == null ? new File[0] : dirs) {
      try {
        String stat = Files.readString(new File(d, "stat").toPath());
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]+$", "");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum); // utime, stime
      } catch (IOException | RuntimeException e) {
        // a thread that ended meanwhile
      }
    }
    return out;
  }

  /** The threads other than main that took CPU between the two, in ms per scrape (10 ms ticks), most first. */
  private static String others(Map<String, Long> before, Map<String, Long> after, int scrapes) {
    StringBuilder b = new StringBuilder();
    after.entrySet().stream().filter(e -> !e.getKey().equals("java"))
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0).sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(4)
        .forEach(e -> b.append(String.format(Locale.ROOT, "%s%s %.1f", b.length() == 0 ? "" : ", ", e.getKey(),
            e.getValue() * 10.0 / scrapes)));
    return b.length() == 0 ? "none" : b.toString();
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

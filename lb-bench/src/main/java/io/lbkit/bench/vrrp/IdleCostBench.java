package io.lbkit.bench.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpInstance;
import io.lbkit.vrrp.VrrpRouter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * Idle cost of N VRRP instances (default 100) at advert 1 s, all masters, lbkit (this
 * JVM: process CPU time and bytes allocated per advert) against keepalived (CPU time of
 * its processes from /proc) in the same namespace and run. Root;
 * {@code java -cp lb-bench.jar io.lbkit.bench.vrrp.IdleCostBench [N] [SECONDS] [WARMUP_SECONDS]}.
 * Prints each side's CPU time over the same-length window (robust under load: CPU time,
 * not wall time) and lbkit's CPU by thread, JVM threads (JIT, GC) included.
 */
public final class IdleCostBench {
  private IdleCostBench() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    // Warm-up before each measured window: every instance master, and the JIT done with the advert path
    // (at 100 adverts/s a method reaches C2's threshold only after about 100 s; at 6 s and even 30 s the
    // C2 compiler thread was half of lbkit's CPU in the window).
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 90;
    Path tmp = Files.createTempDirectory("lbt-idle");
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (BenchNet net = new BenchNet()) {
      String ns = net.node("a", "10.9.4.1/16");
      var exec = Executors.newSingleThreadScheduledExecutor();
      VrrpRouter.Builder b = VrrpRouter.builder(RawVrrpTransport.open(ns), BenchNet.ipAddresses(ns),
          TimerService.system(exec)).linkStatus(i -> true);
      StringBuilder conf = new StringBuilder("global_defs {\n  router_id idle\n  vrrp_garp_master_delay 0\n}\n");
      for (int i = 1; i <= n; i++) {
        String vip = "10.9.5." + i;
        VrrpInstanceSpec.Builder s = VrrpInstanceSpec.builder("VI_" + i, "eth0", i)
            .virtualAddresses(List.of(VirtualAddress.of(vip)));
        s.garpMasterDelay = Duration.ZERO;
        s.garpMasterRepeat = 1;
        b.instance(s.build());
        conf.append("vrrp_instance VI_").append(i).append(" {\n  state BACKUP\n  interface eth0\n  virtual_router_id ")
            .append(i).append("\n  priority 100\n  advert_int 1\n  virtual_ipaddress {\n    ").append(vip)
            .append("/32\n  }\n}\n");
      }
      double lbkitCore;
      double bytesPerAdvert;
      try (VrrpRouter r = b.build()) {
        r.start();
        Thread.sleep(warmup * 1000L); // all masters, JIT warm
        long sent0 = sent(r);
        java.util.Map<String, Long> perThread0 = perThread(threads);
        long alloc0 = allocated(threads);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wall = System.nanoTime() - t0;
        lbkitCore = (os.getProcessCpuTime() - cpu0) / (double) wall;
        long cpuWindow = os.getProcessCpuTime() - cpu0;
        long alloc1 = allocated(threads);
        long adverts = sent(r) - sent0;
        java.util.Map<String, Long> perThread1 = perThread(threads);
        long javaThreads = 0;
        StringBuilder top = new StringBuilder();
        for (var e : perThread1.entrySet()) {
          long d = e.getValue() - perThread0.getOrDefault(e.getKey(), 0L);
          javaThreads += d;
          if (d > wall / 2000) { // over 0.05% of a core
            top.append(String.format(Locale.ROOT, " %s=%.3f%%", e.getKey(), d * 100.0 / wall));
          }
        }
        System.out.printf(Locale.ROOT, "lbkit      threads:%s; threads that ended in the window %.3f%%%n", top,
            (cpuWindow - javaThreads) * 100.0 / wall);
        bytesPerAdvert = (alloc1 - alloc0) / (double) Math.max(1, adverts);
        System.out.printf(Locale.ROOT, "lbkit      %d instances: %.3f%% of a core = %.3f CPU-s per minute, %d adverts"
            + " in %.1f s, %.0f bytes allocated per advert (every thread but the benchmark's)%n", n,
            lbkitCore * 100, lbkitCore * 60, adverts, wall / 1e9, bytesPerAdvert);
      } finally {
        exec.shutdownNow();
      }
      Process k = BenchNet.keepalived(ns, tmp.resolve("k"), conf.toString());
      try {
        Thread.sleep(warmup * 1000L);
        if (!k.isAlive()) {
          System.out.println("keepalived exited early:\n" + Files.readString(tmp.resolve("k").resolve("log")));
          return;
        }
        long c0 = groupCpuTicks(k.pid());
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wall = System.nanoTime() - t0;
        double kaCore = (groupCpuTicks(k.pid()) - c0) / 100.0 / (wall / 1e9);
        System.out.printf(Locale.ROOT, "keepalived %d instances: %.3f%% of a core = %.3f CPU-s per minute%n", n,
            kaCore * 100, kaCore * 60);
        System.out.printf(Locale.ROOT, "ratio lbkit/keepalived CPU: %.2f%n", lbkitCore / kaCore);
      } finally {
        if (k.isAlive()) {
          BenchNet.signal(k, "KILL", true);
        }
        BenchNet.await(k);
      }
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long sent(VrrpRouter r) {
    return r.instances().stream().map(VrrpInstance::counters).mapToLong(c -> c.get("sent")).sum();
  }

  /** CPU nanoseconds per thread (all of them, JVM-internal too) from /proc/self/task/TID/schedstat. */
  private static java.util.Map<String, Long> perThread(com.sun.management.ThreadMXBean unused) throws Exception {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
          long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
          m.merge(name + "@" + t.getFileName(), ns, Long::sum);
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    }
    return m;
  }

  /** Bytes allocated by every thread but this one (the benchmark's own bookkeeping is not lbkit's). */
  private static long allocated(com.sun.management.ThreadMXBean t) {
    long sum = 0;
    long me = Thread.currentThread().getId();
    for (long id : t.getAllThreadIds()) {
      sum += id == me ? 0 : Math.max(0, t.getThreadAllocatedBytes(id));
    }
    return sum;
  }

  /** utime + stime (clock ticks, USER_HZ 100) of every process in the process group {@code pgid}. */
  private static long groupCpuTicks(long pgid) throws Exception {
    long sum = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().matches("\\d+")) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[2]) == pgid) {
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (java.io.IOException | RuntimeException e) {
          // the process ended while we looked
        }
      }
    }
    return sum;
  }
}

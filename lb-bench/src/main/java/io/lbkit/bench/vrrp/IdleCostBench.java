package io.lbkit.bench.vrrp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Idle cost of N VRRP instances (default 100) at advert 1 s, lbkit (a JVM of its own with this
 * JVM's options, {@link IdleLbkitProcess}: CPU time of its threads from schedstat, by thread with the JVM's
 * own threads, and bytes allocated per advert) against keepalived (CPU time of its process group's
 * threads, from schedstat) in the same namespaces and run, in both
 * roles: N masters alone on the link, and N backups hearing N keepalived masters (the
 * same keepalived masters for both sides' backups). Root;
 * {@code java -cp lb-bench.jar io.lbkit.bench.vrrp.IdleCostBench [N] [SECONDS] [WARMUP_SECONDS] [master|backup|both]}.
 * CPU time over a same-length window (robust under load: CPU time, not wall time).
 * Namespaces and keepalived are removed on exit, SIGTERM included.
 */
public final class IdleCostBench {
  private IdleCostBench() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    // Warm-up before each measured window: every instance in its state, and the JIT done with the advert path
    // (at 100 adverts/s a method reaches C2's threshold only after about 100 s; at 6 s and even 30 s the
    // C2 compiler thread was half of lbkit's CPU in the window).
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 90;
    String role = args.length > 3 ? args[3] : "both";
    if (!List.of("master", "backup", "both").contains(role)) {
      throw new IllegalArgumentException("role: master, backup or both, not " + role);
    }
    Path tmp = Files.createTempDirectory("lbt-idle");
    try (BenchNet net = new BenchNet()) {
      Thread hook = new Thread(net::close, "bench-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
      String a = net.node("a", "10.9.4.1/16");
      if (!role.equals("backup")) {
        double lb = lbkit(a, n, 150, seconds, warmup, "sent", "masters");
        double ka = keepalived(net, a, tmp.resolve("km"), n, 150, seconds, warmup, "masters");
        System.out.printf(Locale.ROOT, "ratio lbkit/keepalived CPU, %d masters: %.2f%n", n, lb / ka);
      }
      if (!role.equals("master")) {
        String b = net.node("b", "10.9.4.2/16");
        // The senders for both sides' backups: keepalived masters at priority 150 in a.
        Process masters = net.startKeepalived(a, tmp.resolve("senders"), conf(n, 150));
        Thread.sleep(5_000); // master-down at 150: 3.4 s
        double lb = lbkit(b, n, 100, seconds, warmup, "received", "backups");
        double ka = keepalived(net, b, tmp.resolve("kb"), n, 100, seconds, warmup, "backups");
        System.out.printf(Locale.ROOT, "ratio lbkit/keepalived CPU, %d backups: %.2f%n", n, lb / ka);
        if (!masters.isAlive()) {
          System.out.println("the keepalived masters exited during the run: the backup figures are not valid");
        }
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * N lbkit instances at {@code prio} in {@code ns}, in a JVM of their own ({@link IdleLbkitProcess}, this JVM's
   * options): the share of a core its threads used in the window, from their schedstat as for keepalived.
   */
  private static double lbkit(String ns, int n, int prio, int seconds, int warmup, String counter, String what)
      throws Exception {
    try (IdleLbkitProcess p = IdleLbkitProcess.start(ns, n, prio, counter)) {
      Thread.sleep(warmup * 1000L); // every instance in its state, the JIT warm
      p.mark();
      // The JIT compiles what the mark ran (the counters, the JMX reads) at once, off lbkit's own path: after the
      // window's start it would be counted as lbkit's idle cost (PrintCompilation: ~25 compiles within 80 ms).
      Thread.sleep(1000);
      Map<String, long[]> perThread0 = perThread(p.pid());
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      Map<String, long[]> perThread1 = perThread(p.pid());
      long wall = System.nanoTime() - t0;
      String[] report = p.report(); // packets, instances in the state, bytes allocated, name=bytes...
      long packets = Long.parseLong(report[0]);
      long cpu = 0;
      long runs = 0;
      StringBuilder top = new StringBuilder();
      for (var e : perThread1.entrySet()) {
        long[] before = perThread0.getOrDefault(e.getKey(), new long[2]);
        long d = e.getValue()[0] - before[0];
        cpu += d;
        runs += e.getValue()[1] - before[1];
        if (d > wall / 10000) { // over 0.01% of a core: its CPU, and how often it was put on a CPU (wake-ups)
          top.append(String.format(Locale.ROOT, " %s=%.3f%% (%.1f runs/s)", e.getKey(), d * 100.0 / wall,
              (e.getValue()[1] - before[1]) / (wall / 1e9)));
        }
      }
      StringBuilder allocTop = new StringBuilder();
      for (int i = 3; i < report.length; i++) {
        int eq = report[i].lastIndexOf('=');
        allocTop.append(String.format(Locale.ROOT, " %s=%.0f", report[i].substring(0, eq),
            Long.parseLong(report[i].substring(eq + 1)) / (double) Math.max(1, packets)));
      }
      System.out.printf(Locale.ROOT, "lbkit      %s threads (pid %d, from schedstat):%s%n", what, p.pid(), top);
      System.out.printf(Locale.ROOT, "lbkit      %s bytes allocated per advert by thread:%s%n", what, allocTop);
      double core = cpu / (double) wall;
      System.out.printf(Locale.ROOT, "lbkit      %d %s (%s in that state): %.3f%% of a core = %.3f CPU-s per minute"
          + " (%.1f runs/s), %d adverts %s in %.1f s, %.0f bytes allocated per advert (every thread but the"
          + " idle main one)%n", n, what, report[1], core * 100, core * 60, runs / (wall / 1e9), packets, counter,
          wall / 1e9, Long.parseLong(report[2]) / (double) Math.max(1, packets));
      return core;
    }
  }

  /** N keepalived instances at {@code prio} in {@code ns}: the share of a core its processes used in the window. */
  private static double keepalived(BenchNet net, String ns, Path dir, int n, int prio, int seconds, int warmup,
      String what) throws Exception {
    Process k = net.startKeepalived(ns, dir, conf(n, prio));
    try {
      Thread.sleep(warmup * 1000L);
      if (!k.isAlive()) {
        throw new IllegalStateException("keepalived exited early:\n" + Files.readString(dir.resolve("log")));
      }
      long[] c0 = groupSchedstat(k.pid());
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long wall = System.nanoTime() - t0;
      long[] c1 = groupSchedstat(k.pid());
      double core = (c1[0] - c0[0]) / (double) wall;
      System.out.printf(Locale.ROOT, "keepalived %d %s: %.3f%% of a core = %.3f CPU-s per minute (%.1f runs/s)%n", n,
          what, core * 100, core * 60, (c1[1] - c0[1]) / (wall / 1e9));
      return core;
    } finally {
      net.stop(k);
    }
  }

  static String vip(int i) {
    return "10.9." + (5 + (i - 1) / 250) + "." + (1 + (i - 1) % 250);
  }

  private static String conf(int n, int prio) {
    StringBuilder conf = new StringBuilder("global_defs {\n  router_id idle" + prio
        + "\n  vrrp_garp_master_delay 0\n}\n");
    for (int i = 1; i <= n; i++) {
      conf.append("vrrp_instance VI_").append(i).append(" {\n  state BACKUP\n  interface eth0\n  virtual_router_id ")
          .append(i).append("\n  priority ").append(prio).append("\n  advert_int 1\n  virtual_ipaddress {\n    ")
          .append(vip(i)).append("/32\n  }\n}\n");
    }
    return conf.toString();
  }

  /**
   * CPU nanoseconds and times run on a CPU per thread of process {@code pid} (all of them, JVM-internal too)
   * from /proc/PID/task/TID/schedstat.
   */
  private static Map<String, long[]> perThread(long pid) throws Exception {
    Map<String, long[]> m = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
          String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
          m.put(name + "@" + t.getFileName(), new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])});
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    }
    return m;
  }

  /**
   * CPU nanoseconds and times run on a CPU, summed over the threads of every process in
   * the process group {@code pgid} (from schedstat: nanosecond resolution, where utime +
   * stime counts 10 ms ticks).
   */
  private static long[] groupSchedstat(long pgid) throws Exception {
    long[] sum = new long[2];
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().matches("\\d+")) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[2]) != pgid) {
            continue;
          }
          try (var tasks = Files.list(d.resolve("task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
              String[] ss = Files.readString(t.resolve("schedstat")).trim().split(" ");
              sum[0] += Long.parseLong(ss[0]);
              sum[1] += Long.parseLong(ss[2]);
            }
          }
        } catch (java.io.IOException | RuntimeException e) {
          // the process ended while we looked
        }
      }
    }
    return sum;
  }
}

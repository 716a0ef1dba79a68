package io.lbkit.bench.checks;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.HealthMonitor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sustained HTTP_GET load and detection latency, end to end on loopback:
 * {@code HttpCheckLoad BACKENDS SECONDS INTERVAL_MS}. Starts BACKENDS HTTP servers on
 * 127.0.0.1-8 (one selector thread), checks each every INTERVAL_MS from one
 * HealthMonitor, reports checks/s, CPU of the check thread and the process, and peak
 * heap, and prints a SUMMARY line. Detection latency is {@link CheckDetection}'s (at a load
 * the checker keeps up with). Bounded: the load phase runs SECONDS.
 */
public final class HttpCheckLoad {
  private HttpCheckLoad() {}

  /** Runs the benchmark; see the class comment. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int intervalMs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    if (n < 100 || n > 10_000 || seconds < 5 || seconds > 300 || intervalMs < 10) {
      throw new IllegalArgumentException("want 100-10000 backends, 5-300 s, interval >= 10 ms");
    }
    Duration interval = Duration.ofMillis(intervalMs);
    CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(1)).retry(1, Duration.ofMillis(100))
        .warmup(interval);
    ServiceKey svc = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 80);
    Map<RealServerKey, Long> downAt = new ConcurrentHashMap<>();
    String binary = System.getProperty("backends", "");
    // -Dclose=fin: close good checks with a FIN (keepalived's way) instead of the default reset
    boolean reset = !System.getProperty("close", "rst").equals("fin");
    // -Dtimer=executor: time injected from a ScheduledExecutorService (one hand-off per attempt),
    // for comparison with the default, timers on the check thread
    java.util.concurrent.ScheduledExecutorService timer = System.getProperty("timer", "").equals("executor")
        ? java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "bench-timer");
          t.setDaemon(true); // ends with main
          return t;
        }) : null;
    try (Servers backends = binary.isEmpty() ? new Backends(n)
            : new NativeBackends(java.nio.file.Path.of(binary), n, seconds + 120);
        HealthMonitor monitor = builder(timer).closeWithReset(reset).delayLoop(interval)
            .listener(e -> record(e, downAt)).build()) {
      List<RealServerKey> reals = new ArrayList<>();
      CheckSpec check = HttpCheck.get("/health").timing(timing);
      for (InetSocketAddress a : backends.addresses()) {
        RealServerKey r = new RealServerKey(a.getAddress(), a.getPort());
        reals.add(r);
        monitor.watch(HealthMonitor.Backend.of(svc, r), List.of(check));
      }
      Thread.sleep(3000 + intervalMs); // warm-up: JIT and the warmup spread
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long checkThread = threadId("lbkit-checks");
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long backendPid = backends instanceof NativeBackends nb ? nb.pid() : -1;
      downAt.clear();
      resetPeaks();
      long a0 = monitor.attempts();
      long s0 = backends.served();
      long t0 = System.nanoTime();
      com.sun.management.ThreadMXBean amx = (com.sun.management.ThreadMXBean) mx;
      long m0 = amx.getThreadAllocatedBytes(checkThread);
      long c0 = mx.getThreadCpuTime(checkThread);
      long u0 = mx.getThreadUserTime(checkThread);
      long p0 = os.getProcessCpuTime();
      long b0 = procCpuNanos(backendPid);
      Map<String, long[]> sched0 = schedstat();
      long tw0 = timeWait();
      Thread.sleep(seconds * 1000L);
      long a1 = monitor.attempts();
      double wall = (System.nanoTime() - t0) / 1e9;
      long checks = a1 - a0;
      double rate = checks / wall;
      double checkCpu = (mx.getThreadCpuTime(checkThread) - c0) / 1e9;
      long allocated = amx.getThreadAllocatedBytes(checkThread) - m0;
      double checkUser = (mx.getThreadUserTime(checkThread) - u0) / 1e9;
      double procCpu = (os.getProcessCpuTime() - p0) / 1e9;
      double backendCpu = (procCpuNanos(backendPid) - b0) / 1e9;
      long served = backends.served() - s0;
      Map<String, long[]> sched1 = schedstat();
      double usPerCheck = 1e6 * checkCpu / Math.max(1, checks);
      long heapMb = peakHeap() >> 20;
      System.out.printf("backends=%d (%s) interval=%dms window=%.1fs load average %.2f; timers %s%n", n,
          backends.describe(), intervalMs, wall, os.getSystemLoadAverage(),
          timer == null ? "on the check thread" : "on an executor (injected)");
      System.out.printf("checks/s=%.0f (schedule asks %d/s); backends served %d/s%n", rate, n * 1000L / intervalMs,
          Math.round(served / wall));
      System.out.printf("check thread: %.1f%% of one core, %.1f us CPU/check (user %.1f, kernel %.1f), "
          + "%d bytes allocated/check%n", 100 * checkCpu / wall, usPerCheck, 1e6 * checkUser / Math.max(1, checks),
          1e6 * (checkCpu - checkUser) / Math.max(1, checks), allocated / Math.max(1, checks));
      System.out.printf("checker process: %.1f%% of one core, %.1f us CPU/check (all threads, GC, JIT)%n",
          100 * procCpu / wall, 1e6 * procCpu / Math.max(1, checks));
      if (backendPid > 0) {
        System.out.printf("backends process: %.1f%% of one core, %.1f us CPU/response%n", 100 * backendCpu / wall,
            1e6 * backendCpu / Math.max(1, served));
      }
      long[] a = sched0.get("lbkit-checks");
      long[] b = sched1.get("lbkit-checks");
      if (a != null && b != null) {
        System.out.printf("check thread ran %d ms and waited for a CPU %d ms of the %.0f ms window (kernel schedstat)%n",
            (b[0] - a[0]) / 1_000_000, (b[1] - a[1]) / 1_000_000, wall * 1000);
      }
      System.out.printf("TIME_WAIT sockets in this network namespace: %d at the start of the window, %d at its end "
          + "(net.ipv4.tcp_max_tw_buckets %s)%n", tw0, timeWait(), sysctl("net/ipv4/tcp_max_tw_buckets"));
      System.out.printf("heap: peak used %d MB (max %d MB); failed rounds (down events) during the load: %d%n",
          heapMb, Runtime.getRuntime().maxMemory() >> 20, downAt.size());
      System.out.printf("SUMMARY checks/s=%.0f check-thread-us/check=%.1f capacity=%.0f checks/s/core heap-peak-MB=%d "
          + "backends=%d interval=%dms duration=%.0fs close=%s load=%.2f%n", rate, usPerCheck, 1e6 / usPerCheck, heapMb,
          n, intervalMs, wall, reset ? "rst" : "fin", os.getSystemLoadAverage());
    }
  }

  private static HealthMonitor.Builder builder(java.util.concurrent.ScheduledExecutorService timer) {
    return timer == null ? HealthMonitor.builder() : HealthMonitor.builder(io.lbkit.api.TimerService.system(timer));
  }

  /** TCP sockets in TIME_WAIT now (the "tw" of /proc/net/sockstat), or -1 if unknown. */
  static long timeWait() {
    try {
      for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/sockstat"))) {
        String[] f = l.trim().split(" +");
        for (int i = 0; l.startsWith("TCP:") && i + 1 < f.length; i++) {
          if (f[i].equals("tw")) {
            return Long.parseLong(f[i + 1]);
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no procfs: say unknown
    }
    return -1;
  }

  private static String sysctl(String path) {
    try {
      // by lines: Files.readString of a procfs file (size 0) can return its first byte only
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys", path)).get(0).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** utime+stime of process {@code pid} from /proc, in ns; 0 if unknown. */
  private static long procCpuNanos(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void record(HealthEvent e, Map<RealServerKey, Long> downAt) {
    if (!e.up()) {
      downAt.putIfAbsent(e.real(), System.nanoTime());
    }
  }

  private static long threadId(String name) {
    for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      if (ti.getThreadName().equals(name)) {
        return ti.getThreadId();
      }
    }
    throw new IllegalStateException("no thread " + name + "; threads: "
        + Arrays.toString(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toArray()));
  }

  /** Per-thread {run ns, runqueue-wait ns, run periods} from /proc/self/task/N/schedstat, by thread name. */
  static Map<String, long[]> schedstat() {
    Map<String, long[]> m = new java.util.HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return m;
    }
    for (java.io.File t : tasks) {
      try {
        String name = java.nio.file.Files.readString(t.toPath().resolve("comm")).trim();
        String[] f = java.nio.file.Files.readString(t.toPath().resolve("schedstat")).trim().split(" ");
        m.put(name, new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
      } catch (java.io.IOException | RuntimeException e) {
        // a thread that ended meanwhile, or no schedstat in this kernel: skip it
      }
    }
    return m;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}

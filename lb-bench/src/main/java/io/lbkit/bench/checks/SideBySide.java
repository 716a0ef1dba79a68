package io.lbkit.bench.checks;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.HealthMonitor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * lbkit's half of the keepalived side-by-side (scripts/checks-vs-keepalived.sh):
 * {@code SideBySide ADDR_FILE WARMUP_S SECONDS INTERVAL_MS} checks every "ADDRESS PORT" of
 * ADDR_FILE with HTTP_GET from one HealthMonitor (keepalived's settings: connect_timeout 3 s,
 * retry 1, delay_before_retry 1 s), waits WARMUP_S (JIT, the warmup spread), then measures
 * SECONDS and prints one line: attempts, the process's CPU seconds and the check thread's, then the
 * process's user and system CPU apart (/proc/self/stat, 10 ms ticks) and the check thread's user CPU.
 * lbkit closes its checks with a reset by default; {@code -Dclose=fin} closes good ones with a
 * FIN as keepalived does, for a comparison of the same TCP work.
 * Bounded by WARMUP_S + SECONDS (each at most 600).
 */
public final class SideBySide {
  private SideBySide() {}

  /** This process's user and system CPU in clock ticks (USER_HZ, 100 on Linux), from /proc/self/stat. */
  private static long[] userSysTicks() throws java.io.IOException {
    String st = Files.readString(Path.of("/proc/self/stat"));
    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    int warmup = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    if (seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600) {
      throw new IllegalArgumentException("warmup 0-600 s and seconds 1-600: " + warmup + " " + seconds);
    }
    List<RealServerKey> reals = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of(args[0]))) {
      String[] f = l.trim().split(" ");
      reals.add(RealServerKey.of(f[0], Integer.parseInt(f[1])));
    }
    Duration interval = Duration.ofMillis(Integer.parseInt(args[3]));
    CheckTiming t = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(3)).retry(1, Duration.ofSeconds(1))
        .warmup(interval);
    ServiceKey svc = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.0.2.1"), 80);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean reset = !System.getProperty("close", "rst").equals("fin");
    try (HealthMonitor m = HealthMonitor.builder().closeWithReset(reset).delayLoop(interval).build()) {
      for (RealServerKey r : reals) {
        m.watch(HealthMonitor.Backend.of(svc, r), List.of(HttpCheck.get("/health").timing(t)));
      }
      Thread.sleep(warmup * 1000L);
      long tid = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("lbkit-checks"))
          .findFirst().orElseThrow().getId();
      long cpu0 = os.getProcessCpuTime();
      long th0 = mx.getThreadCpuTime(tid);
      long thu0 = mx.getThreadUserTime(tid);
      long[] ticks0 = userSysTicks();
      long a0 = m.attempts();
      Thread.sleep(seconds * 1000L);
      long[] ticks1 = userSysTicks();
      System.out.printf("lbkit attempts=%d cpu_s=%.3f thread_cpu_s=%.3f close=%s user_s=%.2f sys_s=%.2f"
          + " thread_user_s=%.3f%n", m.attempts() - a0, (os.getProcessCpuTime() - cpu0) / 1e9,
          (mx.getThreadCpuTime(tid) - th0) / 1e9, reset ? "rst" : "fin", (ticks1[0] - ticks0[0]) / 100.0,
          (ticks1[1] - ticks0[1]) / 100.0, (mx.getThreadUserTime(tid) - thu0) / 1e9);
    }
  }
}

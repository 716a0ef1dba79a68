package io.lbkit.bench.checks;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.HealthMonitor;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The two halves of the keepalived side-by-side (scripts/checks-vs-keepalived.sh), each
 * its own process so that CPU is compared process to process:
 * <ul>
 *   <li>{@code SideBySide serve N SECONDS FILE}: N HTTP backends on 127.0.0.x, their
 *       addresses written to FILE; prints the responses served, every second;</li>
 *   <li>{@code SideBySide check FILE SECONDS INTERVAL_MS}: one HealthMonitor checks every
 *       address in FILE with HTTP_GET; prints attempts and the process's CPU seconds.</li>
 * </ul>
 * Both are bounded by SECONDS (at most 600).
 */
public final class SideBySide {
  private SideBySide() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[2]);
    if (seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("seconds must be 1-600: " + seconds);
    }
    if (args[0].equals("serve")) {
      int n = Integer.parseInt(args[1]);
      try (Backends b = new Backends(n)) {
        List<String> lines = new ArrayList<>();
        for (InetSocketAddress a : b.addresses()) {
          lines.add(a.getAddress().getHostAddress() + " " + a.getPort());
        }
        Files.write(Path.of(args[3]), lines);
        for (int i = 0; i < seconds; i++) {
          Thread.sleep(1000);
          System.out.println("served " + b.served);
        }
      }
      return;
    }
    List<RealServerKey> reals = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of(args[1]))) {
      String[] f = l.trim().split(" ");
      reals.add(RealServerKey.of(f[0], Integer.parseInt(f[1])));
    }
    Duration interval = Duration.ofMillis(Integer.parseInt(args[3]));
    CheckTiming t = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(3)).retry(1, Duration.ofSeconds(1))
        .warmup(interval);
    ServiceKey svc = ServiceKey.of(Protocol.TCP, io.lbkit.api.Inet.parse("192.0.2.1"), 80);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (HealthMonitor m = HealthMonitor.builder(TimerService.system(timer)).delayLoop(interval).build()) {
      for (RealServerKey r : reals) {
        m.watch(HealthMonitor.Backend.of(svc, r), List.of(HttpCheck.get("/health").timing(t)));
      }
      long cpu0 = os.getProcessCpuTime();
      long a0 = m.attempts();
      Thread.sleep(seconds * 1000L);
      System.out.printf("lbkit attempts=%d cpu_s=%.2f%n", m.attempts() - a0, (os.getProcessCpuTime() - cpu0) / 1e9);
    } finally {
      timer.shutdownNow();
    }
  }
}

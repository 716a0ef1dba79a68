package io.lbkit.bench.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.raw.RawIpSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Failover time, lbkit↔lbkit against keepalived↔keepalived, in the same namespaces
 * and the same run (root; run it as
 * {@code java -cp lb-bench.jar io.lbkit.bench.vrrp.FailoverBench [ROUNDS] [v3-50ms|v2-1s]}).
 *
 * <p>A passive observer on the link timestamps every advert. Hard kill (SIGKILL of
 * the master's process group): the gap between the old master's last advert and the
 * new master's first one, which the protocol bounds by the backup's master-down
 * interval. Graceful stop (SIGTERM): the gap between the priority-0 advert and the new
 * master's first advert, which is the backup's skew time. Both implementations are
 * measured by the same observer, so the ratio is fair. The observer's times are the
 * kernel's receive times of the adverts (SO_TIMESTAMPNS), not when its thread got to
 * them, so its own scheduling does not enter the numbers; the other processes' does.
 *
 * <p>{@code -Dlbkit.vrrp.trace=true} is passed on to the lbkit routers, and the backup's
 * per-takeover legs (lb-vrrp's internal Trace: receive, arm, timer, send) are printed
 * at the end.
 */
public final class FailoverBench {
  record Advert(long nanos, InetAddress src, int prio) {}

  private FailoverBench() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String setting = args.length > 1 ? args[1] : "v3-50ms";
    int version = setting.startsWith("v2") ? 2 : 3;
    int advertMs = setting.endsWith("1s") ? 1000 : 50;
    long us = advertMs * 1000L;
    double skewMs = (version == 2 ? (256 - 100) * 1_000_000L / 256 : (256 - 100) * us / 256) / 1000.0;
    double downMs = 3 * advertMs + skewMs;
    Path tmp = Files.createTempDirectory("lbt-bench");
    try (BenchNet net = new BenchNet()) {
      String a = net.node("a", "10.9.2.1/24");
      String b = net.node("b", "10.9.2.2/24");
      String obs = net.node("o", "10.9.2.9/24");
      InetAddress aAddr = Inet.parse("10.9.2.1");
      InetAddress bAddr = Inet.parse("10.9.2.2");
      List<Advert> seen = new CopyOnWriteArrayList<>();
      RawIpSocket sock = RawIpSocket.open(obs, "eth0", Family.INET, 112, Inet.parse("224.0.0.18"), null,
          Inet.parse("224.0.0.18"));
      Thread rx = new Thread(() -> {
        while (true) {
          try {
            RawIpSocket.Received r = sock.receive(200);
            if (r != null && r.payload().remaining() >= 8) {
              seen.add(new Advert(r.receivedNanos(), r.source(), r.payload().get(2) & 0xff));
            }
          } catch (Exception e) {
            return;
          }
        }
      });
      rx.setDaemon(true);
      rx.start();
      System.out.printf(Locale.ROOT, "setting %s: backup priority 100, master-down %.3f ms, skew %.3f ms, %d rounds%n",
          setting, downMs, skewMs, rounds);
      String[] impls = {"keepalived", "lbkit"};
      double[][] medians = new double[2][2];
      for (int i = 0; i < impls.length; i++) {
        String impl = impls[i];
        Process pb = start(impl, b, tmp.resolve(impl + "-b"), version, 100, advertMs);
        List<Double> kill = new ArrayList<>();
        List<Double> term = new ArrayList<>();
        try {
          for (int r = 0; r < 2 * rounds; r++) {
            boolean hard = r % 2 == 0;
            long launched = System.nanoTime(); // the previous round's A advertised at 150 too, until just now
            Process pa = start(impl, a, tmp.resolve(impl + "-a" + r), version, 150, advertMs);
            if (!awaitMaster(seen, aAddr, 150, launched, 20_000)) {
              System.out.println(impl + ": master A never seen; skipping round");
              BenchNet.signal(pa, "KILL", true);
              BenchNet.await(pa);
              continue;
            }
            Thread.sleep(4L * advertMs + 200);
            seen.clear();
            Thread.sleep(2L * advertMs); // so that A's last advert before the signal is on record
            long signalled = System.nanoTime();
            BenchNet.signal(pa, hard ? "KILL" : "TERM", hard);
            long end = System.nanoTime() + (long) (3 * downMs + 2000) * 1_000_000;
            Advert first = null;
            while (first == null && System.nanoTime() < end) {
              Thread.sleep(5);
              first = seen.stream().filter(x -> x.src.equals(bAddr) && x.prio > 0 && x.nanos > signalled)
                  .findFirst().orElse(null);
            }
            if (seen.stream().anyMatch(x -> x.src.equals(bAddr) && x.prio > 0 && x.nanos <= signalled)) {
              System.out.println(impl + ": B was advertising before the signal (not a clean round); skipped");
              for (Advert x : seen) {
                System.out.printf("  %s prio %d at %+.1f ms from the signal%n", x.src.getHostAddress(), x.prio,
                    (x.nanos - signalled) / 1e6);
              }
              BenchNet.await(pa);
              continue;
            }
            BenchNet.await(pa);
            if (first == null) {
              System.out.println(impl + ": no takeover seen in round " + r);
              continue;
            }
            final long fb = first.nanos;
            Advert ref = hard
                ? seen.stream().filter(x -> x.src.equals(aAddr) && x.nanos < fb).reduce((x, y) -> y).orElse(null)
                : seen.stream().filter(x -> x.src.equals(aAddr) && x.prio == 0).findFirst().orElse(null);
            if (ref != null) {
              (hard ? kill : term).add((fb - ref.nanos) / 1e6);
            }
            Thread.sleep(200);
          }
        } finally {
          BenchNet.signal(pb, "KILL", true);
          BenchNet.await(pb);
        }
        medians[i][0] = print(impl, "kill -9 (last advert -> new master's first)", kill, downMs);
        medians[i][1] = print(impl, "SIGTERM (priority 0 -> new master's first)", term, skewMs);
      }
      sock.close();
      System.out.printf(Locale.ROOT, "ratio lbkit/keepalived median: kill -9 %.4f, SIGTERM %.4f%n",
          medians[1][0] / medians[0][0], medians[1][1] / medians[0][1]);
    } finally {
      if (System.getProperty("lbkit.vrrp.trace") != null) {
        try (var dirs = Files.list(tmp)) {
          for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("lbkit-")).sorted().toList()) {
            Path log = d.resolve("log");
            if (Files.exists(log)) {
              Files.readAllLines(log).stream().filter(l -> l.startsWith("TRACE"))
                  .forEach(l -> System.out.println(d.getFileName() + " " + l));
            }
          }
        }
      }
      try (var s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Process start(String impl, String ns, Path dir, int version, int prio, int advertMs)
      throws Exception {
    if (impl.equals("lbkit")) {
      return BenchNet.lbkit(ns, dir, version, prio, advertMs, "10.9.2.100");
    }
    String adv = advertMs % 1000 == 0 ? Integer.toString(advertMs / 1000) : String.format(Locale.ROOT, "%.2f",
        advertMs / 1000.0);
    return BenchNet.keepalived(ns, dir, "global_defs {\n  router_id b\n  vrrp_version " + version
        + "\n  vrrp_garp_master_delay 0\n}\nvrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n"
        + "  virtual_router_id 51\n  priority " + prio + "\n  advert_int " + adv
        + "\n  virtual_ipaddress {\n    10.9.2.100/32\n  }\n}\n");
  }

  /** Waits for an advert from {@code a} at {@code prio} sent after {@code since} (a process started then). */
  private static boolean awaitMaster(List<Advert> seen, InetAddress a, int prio, long since, long timeoutMs)
      throws InterruptedException {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < end) {
      if (seen.stream().anyMatch(x -> x.src.equals(a) && x.prio == prio && x.nanos > since)) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  private static double print(String impl, String what, List<Double> v, double boundMs) {
    if (v.isEmpty()) {
      System.out.printf("%-10s %s: no samples%n", impl, what);
      return Double.NaN;
    }
    Collections.sort(v);
    double med = v.get(v.size() / 2);
    System.out.printf(Locale.ROOT, "%-10s %-45s n=%d min %.2f median %.2f p90 %.2f max %.2f ms (RFC %.2f; median-RFC %+.2f)%n",
        impl, what, v.size(), v.get(0), med, v.get((int) Math.min(v.size() - 1, Math.ceil(v.size() * 0.9) - 1)),
        v.get(v.size() - 1), boundMs, med - boundMs);
    return med;
  }
}

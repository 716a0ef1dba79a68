package io.lbkit.bench.scale;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.net.Inet;
import io.lbkit.bench.checks.ScaleChecks;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scale curve ({@code lb-bench/scripts/scale.sh}): for each size, a plain keepalived.conf of
 * SIZE/10 NAT virtual servers x 10 real servers with HTTP_GET checks, and per stage the median
 * of several runs in ms: parse (file to spec), import (LoadBalancerRuntime started on the
 * fakes), {@code LoadBalancer.apply} first / unchanged / of an equal re-parsed spec, one change
 * (one real server's weight in a new spec through apply; one health event through the
 * Director), reload of the file with one changed line, status rendering (JSON), heap after GC
 * per real server (spec + LoadBalancer over a dataplane that keeps nothing); with
 * {@code -Dbackends=BINARY} the checks (checks/s, timer lag) and with {@code -Dnetns=NAME}
 * the nftables install. One summary line per size, then a line beginning {@code SCALE}.
 *
 * <p>{@code ScaleBench SIZE...} (default 100 1000 10000 100000).
 */
public final class ScaleBench {
  private static final int PER_SERVICE = 10;

  private ScaleBench() {}

  /** Runs it; see the class comment. */
  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    int[] sizes = args.length == 0 ? new int[] {100, 1000, 10_000, 100_000}
        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    String binary = System.getProperty("backends", "");
    String netns = System.getProperty("netns", "");
    int checkSeconds = Integer.getInteger("checkSeconds", 12);
    Path dir = Files.createTempDirectory("lbk-scale");
    List<String> summary = new ArrayList<>();
    try (ScaleChecks checks = binary.isEmpty() ? null : ScaleChecks.start(Path.of(binary), 1000, 3600)) {
      List<InetSocketAddress> backends = checks == null ? List.of() : checks.addresses();
      for (int size : sizes) {
        summary.add(one(size, dir, backends, checks, netns, checkSeconds));
      }
    } finally {
      try (var s = Files.list(dir)) {
        s.forEach(p -> p.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
    System.out.println(curve(sizes, summary));
  }

  private static String one(int reals, Path dir, List<InetSocketAddress> backends, ScaleChecks checks, String netns,
      int checkSeconds) throws Exception {
    if (Boolean.getBoolean("checksOnly") && checks != null) {
      return checksOnly(reals, dir, backends, checks, checkSeconds);
    }
    int services = reals / PER_SERVICE;
    int reps = reals >= 100_000 ? 3 : reals >= 10_000 ? 5 : 9;
    int changedReal = reals / 2 + 3;
    Path conf = ScaleConf.write(dir, "scale-" + reals, services, PER_SERVICE, backends, -1, null);
    Path changedConf = ScaleConf.write(dir, "scale-" + reals + "-changed", services, PER_SERVICE, backends,
        changedReal, "scale-" + reals);
    long base = Heap.usedAfterGc();

    LoadBalancerSpec[] spec = new LoadBalancerSpec[1];
    double parse = Timing.median(reps, () -> Timing.ms(() -> {
      KeepalivedConfig c = KeepalivedConfig.parse(conf, KeepalivedConfig.Options.defaults().withTimeout(Duration.ofMinutes(5)));
      if (c.hasErrors()) {
        throw new IllegalStateException(c.diagnostics().get(0).format());
      }
      spec[0] = c.spec();
    }));
    LoadBalancerSpec s = spec[0];

    // import and reload: the keepalived.conf runtime on the fakes
    double imp = Timing.median(reps, () -> {
      long t = System.nanoTime();
      LoadBalancerRuntime rt = runtime(new ManualClock()).start(s);
      double ms = (System.nanoTime() - t) / 1e6;
      rt.close();
      return ms;
    });
    // the old measure (a runtime that has not read the file before: a full parse) for the ratio
    double reloadCold = Timing.median(reps, () -> {
      try (LoadBalancerRuntime rt = runtime(new ManualClock()).start(s)) {
        return Timing.ms(() -> Changes.check(rt.reload(changedConf).ipvs(), 1, "cold reload of one changed line"));
      }
    });
    // one line edited in place in a file the runtime read before (KeepalivedConfig.parse(file, options, previous))
    double[] same = new double[reps];
    double reloadChanged = Timing.median(reps, new Timing.Measured() {
      int rep;

      @Override
      public double run() throws Exception {
        Path live = ScaleConf.write(dir, "scale-" + reals + "-live", services, PER_SERVICE, backends, -1, null);
        try (LoadBalancerRuntime rt = runtime(new ManualClock()).start(s)) {
          Changes.check(rt.reload(live).ipvs(), 0, "first reload of the live file");
          ScaleConf.write(dir, "scale-" + reals + "-live", services, PER_SERVICE, backends, changedReal, null);
          double ms = Timing.ms(() -> Changes.check(rt.reload(live).ipvs(), 1, "reload of one changed line"));
          same[rep++] = Timing.ms(() -> Changes.check(rt.reload(live).ipvs(), 0, "reload of the same file"));
          return ms;
        }
      }
    });
    java.util.Arrays.sort(same);
    double reloadSame = same[reps / 2];

    String line = String.format("reals=%d services=%d parse-ms=%.1f import-ms=%.1f reload-one-line-ms=%.1f "
        + "reload-same-ms=%.1f reload-one-line-cold-ms=%.1f ", reals, services, parse, imp, reloadChanged, reloadSame,
        reloadCold)
        + applyStages(s, conf, changedConf, reps, base, reals);
    if (!netns.isEmpty()) {
      line += " " + NftInstall.measure(netns, s, KeepalivedConfig.parse(changedConf).spec(), reals);
    }
    if (checks != null) {
      line += " " + checks.measure(s, reals, 8, checkSeconds, base);
    }
    System.out.println("size " + line + " load=" + load());
    return line;
  }

  /** {@code -DchecksOnly=true} (scale.sh's CHECKS_ONLY=1): the file parsed once, then the checks part alone. */
  private static String checksOnly(int reals, Path dir, List<InetSocketAddress> backends, ScaleChecks checks,
      int checkSeconds) throws Exception {
    Path conf = ScaleConf.write(dir, "scale-" + reals, reals / PER_SERVICE, PER_SERVICE, backends, -1, null);
    long base = Heap.usedAfterGc();
    KeepalivedConfig c = KeepalivedConfig.parse(conf, KeepalivedConfig.Options.defaults()
        .withTimeout(Duration.ofMinutes(5)));
    if (c.hasErrors()) {
      throw new IllegalStateException(c.diagnostics().get(0).format());
    }
    String line = "reals=" + reals + " " + checks.measure(c.spec(), reals, 8, checkSeconds, base);
    System.out.println("size " + line + " load=" + load());
    return line;
  }

  /** LoadBalancer.apply on a dataplane that keeps nothing (so the heap is lbkit's): first, again, one change. */
  private static String applyStages(LoadBalancerSpec s, Path conf, Path changedConf, int reps, long base, int reals)
      throws Exception {
    SinkIpvs sink = new SinkIpvs();
    LoadBalancer lb = LoadBalancer.builder(sink).withoutHealthChecks().build();
    double first = Timing.ms(() -> lb.apply(s));
    long heap = Heap.usedAfterGc() - base; // the spec and the LoadBalancer only
    LoadBalancerSpec reparsed = KeepalivedConfig.parse(conf).spec();
    LoadBalancerSpec changed = KeepalivedConfig.parse(changedConf).spec();
    double unchanged = Timing.median(reps, () -> Timing.ms(() -> Changes.check(lb.apply(s), 0, "unchanged apply")));
    double equal = Timing.median(reps, () -> Timing.ms(() -> Changes.check(lb.apply(reparsed), 0, "re-parsed apply")));
    // one change in-process: the spec with one service replaced by its edited copy (the others the same objects)
    int services = s.virtualServices().size();
    VirtualService v = s.virtualServices().get(services / 2);
    RealServer r = v.realServers().get(3);
    List<VirtualService> edited = new ArrayList<>(s.virtualServices());
    edited.set(services / 2, v.put(r.weight(2)));
    LoadBalancerSpec oneEdit = s.withVirtualServices(edited);
    boolean[] flip = {false};
    double changeApply = Timing.median(reps * 3, () -> Timing.ms(() -> {
      flip[0] = !flip[0];
      Changes.check(lb.apply(flip[0] ? oneEdit : s), 1, "one changed weight");
    }));
    double changeReparsed = Timing.median(reps, () -> Timing.ms(() -> {
      flip[0] = !flip[0];
      Changes.check(lb.apply(flip[0] ? changed : reparsed), 1, "one changed weight, re-parsed spec");
    }));
    boolean[] down = {false};
    double changeHealth = Timing.median(reps * 3, () -> Timing.ms(() -> {
      down[0] = !down[0];
      HealthEvent e = down[0] ? HealthEvent.down(v.key(), r.key(), "bench") : HealthEvent.up(v.key(), r.key(), "b");
      Changes.check(lb.director().onHealth(e), 1, "one health event");
    }));
    int[] jsonLength = new int[1];
    double status = Timing.median(reps, () -> Timing.ms(() -> jsonLength[0] = lb.status().toJson().length()));
    lb.close();

    return String.format("apply-first-ms=%.1f apply-unchanged-ms=%.2f apply-equal-reparsed-ms=%.2f "
        + "change-apply-ms=%.3f change-health-ms=%.3f change-reparsed-ms=%.1f status-json-ms=%.1f (%d KB) "
        + "heap-B/real=%d", first, unchanged, equal, changeApply, changeHealth, changeReparsed, status,
        jsonLength[0] / 1024, heap / reals);
  }

  /** The final line: each key's value at every size, in size order, and for the per-real figures the trend. */
  static String curve(int[] sizes, List<String> lines) {
    String[] keys = {"change-apply-ms", "change-health-ms", "apply-unchanged-ms", "apply-first-ms", "parse-ms",
        "reload-one-line-ms", "status-json-ms", "heap-B/real", "heap-with-checks-B/real", "checks/s", "lag-p99-ms",
        "nft-install-ms", "nft-f-ms"};
    StringBuilder b = new StringBuilder("SCALE reals=");
    for (int i = 0; i < sizes.length; i++) {
      b.append(i == 0 ? "" : "/").append(sizes[i]);
    }
    for (String k : keys) {
      StringBuilder v = new StringBuilder();
      boolean any = false;
      for (int i = 0; i < lines.size(); i++) {
        String x = field(lines.get(i), k);
        any |= x != null;
        v.append(i == 0 ? "" : "/").append(x == null ? "-" : x);
      }
      if (any) {
        b.append(' ').append(k).append('=').append(v);
      }
    }
    String p0 = field(lines.get(0), "parse-ms");
    String p1 = field(lines.get(lines.size() - 1), "parse-ms");
    if (p0 != null && p1 != null && sizes.length > 1) {
      b.append(String.format(" parse-us/real=%.1f..%.1f", 1000 * Double.parseDouble(p0) / sizes[0],
          1000 * Double.parseDouble(p1) / sizes[sizes.length - 1]));
    }
    return b.toString();
  }

  private static String field(String line, String key) {
    for (String t : line.split(" ")) {
      if (t.startsWith(key + "=")) {
        return t.substring(key.length() + 1);
      }
    }
    return null;
  }

  static LoadBalancerRuntime.Builder runtime(ManualClock clock) {
    return LoadBalancerRuntime.builder().timers(clock).ipvs(new FakeIpvs())
        .addresses(new FakeAddressManager("eth0")).routes(new FakeRouteManager("eth0"))
        .vrrpTransport(new InMemoryVrrpNetwork(clock, Duration.ZERO).host(Inet.parse("192.168.0.1")))
        .healthChecking(new ScriptedHealthChecking()::attach);
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** Asserts a reconciliation did what the stage expects, so no stage times a no-op by mistake. */
  static final class Changes {
    private Changes() {}

    static void check(Reconciliation r, int ops, String what) {
      if (r.applied().size() != ops || !r.failed().isEmpty()) {
        throw new IllegalStateException(what + ": expected " + ops + " IPVS change(s), got " + r.applied() + " failed "
            + r.failed());
      }
    }
  }
}

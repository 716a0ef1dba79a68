package io.lbkit.bench.scale;

import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reload of one large keepalived.conf (no include): {@code services} virtual servers of 10 real
 * servers with HTTP_GET checks in one file (4,850 make about 660,000 lines, just under the 16 MiB
 * cap). Prints the full parse, the re-parse after one real server's weight changed in place
 * ({@code KeepalivedConfig.parse(file, options, previous)}), and LoadBalancerRuntime.reload of the
 * same edit, medians of 5.
 *
 * <pre>java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.scale.SingleFileReload [SERVICES]</pre>
 */
public final class SingleFileReload {
  private SingleFileReload() {}

  /** Runs it. */
  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 4850;
    int reals = services * 10;
    Path dir = Files.createTempDirectory("lbk-single");
    Path f = dir.resolve("keepalived.conf");
    KeepalivedConfig.Options o = KeepalivedConfig.Options.defaults().withTimeout(Duration.ofMinutes(5));
    try {
      String base = "global_defs {\n  router_id scale\n}\n" + ScaleConf.text(0, services, 10, List.of(), -1);
      String changed = "global_defs {\n  router_id scale\n}\n"
          + ScaleConf.text(0, services, 10, List.of(), reals / 2 + 3);
      Files.writeString(f, base);
      long lines = base.chars().filter(c -> c == '\n').count();
      KeepalivedConfig[] last = new KeepalivedConfig[1];
      double cold = Timing.median(5, () -> Timing.ms(() -> last[0] = check(KeepalivedConfig.parse(f, o))));
      boolean[] flip = {false};
      double again = Timing.median(5, () -> {
        flip[0] = !flip[0];
        Files.writeString(f, flip[0] ? changed : base);
        return Timing.ms(() -> last[0] = check(KeepalivedConfig.parse(f, o, last[0])));
      });
      double same = Timing.median(5, () -> Timing.ms(() -> last[0] = check(KeepalivedConfig.parse(f, o, last[0]))));
      Files.writeString(f, base);
      flip[0] = false;
      double reload;
      try (LoadBalancerRuntime rt = ScaleBench.runtime(new ManualClock()).start(f)) {
        reload = Timing.median(5, () -> {
          flip[0] = !flip[0];
          Files.writeString(f, flip[0] ? changed : base);
          return Timing.ms(() -> ScaleBench.Changes.check(rt.reload(f).ipvs(), 1, "reload of one changed line"));
        });
      }
      System.out.printf("single-file services=%d reals=%d lines=%d bytes=%d parse-ms=%.1f reparse-one-line-ms=%.1f "
          + "reparse-same-ms=%.1f runtime-reload-one-line-ms=%.1f ratio=%.3f%n", services, reals, lines,
          Files.size(f), cold, again, same, reload, reload / cold);
    } finally {
      Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
    }
  }

  private static KeepalivedConfig check(KeepalivedConfig c) {
    if (c.hasErrors()) {
      throw new IllegalStateException(c.diagnostics().get(0).format());
    }
    return c;
  }
}

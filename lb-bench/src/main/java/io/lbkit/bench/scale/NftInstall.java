package io.lbkit.bench.scale;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.nftables.NftablesIpvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The nftables dataplane at scale, in a network namespace the script created: the first
 * install of a spec through the Director over {@link NftablesIpvs}, one changed weight, and
 * as the anchor in the same run {@code nft -f} of the very table lbkit installed (listed with
 * {@code nft list table}, the table deleted, then loaded back and timed).
 */
final class NftInstall {
  private NftInstall() {}

  static String measure(String netns, LoadBalancerSpec spec, LoadBalancerSpec changed, int reals) throws Exception {
    double first;
    double change;
    try (NftablesIpvs nft = NftablesIpvs.open(netns);
        LoadBalancer lb = LoadBalancer.builder(nft).withoutHealthChecks().build()) {
      first = Timing.ms(() -> lb.apply(spec));
      ScaleBench.Changes.check(lb.apply(spec), 0, "nft unchanged");
      change = Timing.ms(() -> ScaleBench.Changes.check(lb.apply(changed), 1, "nft one change"));
    }
    Path dump = Files.createTempFile("lbk-scale-nft", ".nft");
    try {
      run(netns, 300, dump, "nft", "list", "table", "inet", "lbkit");
      run(netns, 300, null, "nft", "delete", "table", "inet", "lbkit");
      long t0 = System.nanoTime();
      run(netns, 600, null, "nft", "-f", dump.toString());
      double nftMs = (System.nanoTime() - t0) / 1e6;
      run(netns, 300, null, "nft", "delete", "table", "inet", "lbkit");
      return String.format("nft-install-ms=%.0f nft-change-ms=%.2f nft-f-ms=%.0f (lbkit/nft-f %.2f)", first, change,
          nftMs, first / nftMs);
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  private static void run(String netns, int seconds, Path out, String... cmd) throws Exception {
    List<String> c = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns));
    c.addAll(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(out == null);
    if (out != null) {
      pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": no answer within " + seconds + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " in " + netns + ": exit " + p.exitValue());
    }
  }
}

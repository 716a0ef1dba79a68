package io.lbkit.bench.nft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The anchor side: {@code nft} (and {@code lbctl}) as processes in a network namespace,
 * each timed from start to exit, with a deadline.
 */
final class Anchor {
  static final long DEADLINE_SECONDS = 300;

  private final String ns;
  private final Path dir;

  Anchor(String ns, Path dir) {
    this.ns = ns;
    this.dir = dir;
  }

  /** Runs {@code argv} inside the namespace, output discarded; returns its wall time in nanoseconds. */
  long inNs(String... argv) throws IOException {
    List<String> a = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    a.addAll(Arrays.asList(argv));
    return run(a);
  }

  static long run(List<String> argv) throws IOException {
    Path err = Files.createTempFile("lbbench-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(err.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      boolean done;
      try {
        done = p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + String.join(" ", argv), e);
      }
      long t = System.nanoTime() - t0;
      if (!done) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " ran past " + DEADLINE_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        String text = Files.readString(err, StandardCharsets.UTF_8);
        throw new IOException(String.join(" ", argv) + " exited " + p.exitValue() + ": "
            + text.substring(0, Math.min(2000, text.length())).trim());
      }
      return t;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** {@code nft -f} of this text (written to a file first, untimed). */
  long nftFile(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return inNs("nft", "-f", f.toString());
  }

  /** {@code nft -f} of a file written before. */
  long nftFile(Path f) throws IOException {
    return inNs("nft", "-f", f.toString());
  }

  /** Empties the namespace's ruleset (untimed set-up). */
  void flush() throws IOException {
    inNs("nft", "flush", "ruleset");
  }

  /**
   * Replaces service {@code i}'s nftlb-style rule with one for these weights: one {@code nft
   * -f}, timed. A replaced rule keeps its handle, so the handles of a fresh table hold.
   */
  long nftlbReplace(int i, List<Integer> weights) throws IOException {
    return nftFile("change.nft", "replace rule ip nftlb prerouting handle " + Fleet.nftlbHandle(i) + " "
        + Fleet.nftlbRule(i, weights) + "\n");
  }
}

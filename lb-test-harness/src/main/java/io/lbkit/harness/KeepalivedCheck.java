package io.lbkit.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code keepalived -t} (config check only) on a file, the oracle lbkit's config checks are
 * compared with. As root it runs in a new, empty network namespace ({@code unshare --net}) so
 * that keepalived's view of interfaces is the same on every machine.
 */
public final class KeepalivedCheck {
  /** keepalived's exit code and every line it printed (stdout and stderr merged). */
  public record Output(int exitCode, List<String> lines) {
    /** Copies the lines. */
    public Output {
      lines = List.copyOf(lines);
    }
  }

  private KeepalivedCheck() {}

  /**
   * Runs {@code keepalived -t -l -G -n -i CONFIG_ID -f FILE}.
   *
   * @throws IllegalStateException if keepalived does not finish within {@code limit} (it is killed)
   */
  public static Output run(Path file, String configId, Duration limit) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (Tiers.isRoot() && Files.isExecutable(Path.of("/usr/bin/unshare"))) {
      cmd.addAll(List.of("/usr/bin/unshare", "--net"));
    }
    cmd.addAll(List.of("keepalived", "-t", "-l", "-G", "-n", "-i", configId, "-f", file.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
    Path out = Files.createTempFile("lbk-keepalived-t", ".out");
    try {
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("keepalived -t did not finish within " + limit.toSeconds() + " s on " + file);
      }
      return new Output(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}

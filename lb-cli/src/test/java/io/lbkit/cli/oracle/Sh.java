package io.lbkit.cli.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end within a deadline and returns its exit status and output. */
final class Sh {
  /** What a finished program left. */
  record Result(int exit, String output) {}

  private Sh() {}

  static Result run(Duration limit, String... cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile("lbo-sh", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + limit);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs and insists on exit status 0. */
  static String ok(Duration limit, String... cmd) throws IOException, InterruptedException {
    Result r = run(limit, cmd);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.output());
    }
    return r.output();
  }
}

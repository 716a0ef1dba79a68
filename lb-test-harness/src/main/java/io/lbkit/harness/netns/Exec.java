package io.lbkit.harness.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion with a deadline and captures its output: the one way
 * lbkit's tests call {@code ip}, {@code ipvsadm} or {@code keepalived} as oracles.
 * A program that outlives its deadline is killed (with its children) and reported as
 * {@link Result#TIMED_OUT}, never waited for forever.
 *
 * <pre>{@code
 * Exec.Result r = Exec.run(Duration.ofSeconds(5), List.of("ipvsadm", "-S", "-n")).orThrow();
 * assertThat(r.stdout()).contains("-A -t 192.168.0.200:80 -s rr");
 * }</pre>
 */
public final class Exec {
  /** The exit code reported for a program killed at its deadline (as timeout(1) does). */
  public static final int TIMED_OUT = 124;

  private static final int MAX_CAPTURE = 4 << 20;

  private Exec() {}

  /**
   * Runs {@code argv} and waits at most {@code deadline} for it to exit.
   *
   * @throws UncheckedIOException if the program cannot be started (not installed)
   */
  public static Result run(Duration deadline, List<String> argv) {
    Objects.requireNonNull(deadline, "deadline");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command line");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
    }
    Drain out = new Drain(p.getInputStream());
    Drain err = new Drain(p.getErrorStream());
    out.start();
    err.start();
    int code;
    try {
      if (p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        code = p.exitValue();
      } else {
        kill(p);
        code = TIMED_OUT;
      }
      out.join(2000);
      err.join(2000);
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
    }
    return new Result(List.copyOf(argv), code, out.text(), err.text());
  }

  /** Runs {@code argv} with a deadline. */
  public static Result run(Duration deadline, String... argv) {
    return run(deadline, List.of(argv));
  }

  /** Kills a process and every descendant it started, and waits briefly for it to go. */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What a program did.
   *
   * @param argv its command line
   * @param exitCode its exit status, or {@link #TIMED_OUT}
   * @param stdout its standard output (UTF-8, at most 4 MiB)
   * @param stderr its standard error (UTF-8, at most 4 MiB)
   */
  public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
    /** True if it exited with status 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /**
     * This result if the program exited with 0.
     *
     * @throws IllegalStateException naming the command, its status and its stderr otherwise
     */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(describe());
      }
      return this;
    }

    /** {@code "ip link add ...: exit 2: RTNETLINK answers: File exists"}. */
    public String describe() {
      String why = exitCode == TIMED_OUT ? "killed at its deadline" : "exit " + exitCode;
      return String.join(" ", argv) + ": " + why + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
  }

  /** Reads a stream to its end on a daemon thread, so a chatty program never blocks on a full pipe. */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Drain(InputStream in) {
      super("exec-drain");
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      byte[] b = new byte[8192];
      try (in) {
        for (int n; (n = in.read(b)) > 0; ) {
          synchronized (buf) {
            if (buf.size() < MAX_CAPTURE) {
              buf.write(b, 0, Math.min(n, MAX_CAPTURE - buf.size()));
            }
          }
        }
      } catch (IOException e) {
        // the process was killed or closed its end: keep what was read
        synchronized (buf) {
          buf.writeBytes(("\n[exec: read stopped: " + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8));
        }
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}

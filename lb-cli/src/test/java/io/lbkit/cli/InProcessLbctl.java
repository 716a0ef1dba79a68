package io.lbkit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * lbctl run in this JVM for tests, as a user runs it: {@link #run} returns the exit code
 * and what it wrote to standard output and error is kept (UTF-8). What the runs write
 * gathers until {@link #reset()}, unless made with {@link #freshEachRun()}.
 *
 * <pre>{@code
 * InProcessLbctl lbctl = new InProcessLbctl();
 * assertThat(lbctl.run("check", "k.conf")).isEqualTo(1);
 * assertThat(lbctl.err()).contains("k.conf:3: ");
 * }</pre>
 */
public final class InProcessLbctl {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err;
  private final Path socketDir;
  private boolean freshEachRun;

  /** lbctl with its own control socket directory; output and errors apart. */
  public InProcessLbctl() {
    this(ControlSocket.DIR, false);
  }

  /** lbctl that looks for a director's control socket by name in {@code socketDir}. */
  public InProcessLbctl(Path socketDir) {
    this(socketDir, false);
  }

  private InProcessLbctl(Path socketDir, boolean merged) {
    this.socketDir = socketDir;
    this.err = merged ? out : new ByteArrayOutputStream();
  }

  /** lbctl whose errors go with its output into one stream, interleaved as written ({@link #out()}). */
  public static InProcessLbctl merged() {
    return new InProcessLbctl(ControlSocket.DIR, true);
  }

  /** Makes each run start with no output and no errors kept. */
  public InProcessLbctl freshEachRun() {
    freshEachRun = true;
    return this;
  }

  /** Runs lbctl with these arguments; returns its exit code. */
  public int run(String... args) {
    if (freshEachRun) {
      reset();
    }
    return Lbctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), socketDir);
  }

  /** What the runs wrote to standard output. */
  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What the runs wrote to standard error. */
  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Forgets the output and errors kept so far. */
  public void reset() {
    out.reset();
    err.reset();
  }
}

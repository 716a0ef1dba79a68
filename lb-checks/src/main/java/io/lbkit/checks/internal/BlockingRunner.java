package io.lbkit.checks.internal;

import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.checks.CheckResult;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The checks that cannot be non-blocking in plain Java: MISC_CHECK programs,
 * PING_CHECK ({@link InetAddress#isReachable}) and FILE_CHECK reads, on a bounded pool
 * of daemon threads; every wait has a deadline.
 */
public final class BlockingRunner implements AutoCloseable {
  private static final File DEV_NULL = new File("/dev/null");
  private final ExecutorService pool;
  private final Runnable setup;
  private final ThreadLocal<Boolean> setUp = ThreadLocal.withInitial(() -> false);

  /** A pool of {@code threads} (the most programs running at once). */
  public BlockingRunner(int threads) {
    this(threads, null);
  }

  /**
   * A pool of {@code threads}, each running {@code setup} (null: none) before its first
   * check, e.g. to enter a network namespace; a setup that throws fails that check
   * ("check failed: ...") and is tried again on the next.
   */
  public BlockingRunner(int threads, Runnable setup) {
    this.setup = setup;
    if (threads < 1) {
      throw new IllegalArgumentException("script pool size must be at least 1: " + threads);
    }
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "lbkit-check-blocking");
          t.setDaemon(true);
          return t;
        });
    p.allowCoreThreadTimeOut(true);
    this.pool = p;
  }

  /** Runs {@code command} (no shell) as {@code user} (null = ours); see {@link #verdict}. */
  void script(List<String> command, String user, Duration timeout, boolean dynamic, Consumer<CheckResult> done) {
    submit(() -> runScript(command, user, timeout, dynamic), done);
  }

  /** ICMP echo via {@link InetAddress#isReachable}: raw ICMP when privileged (see package docs). */
  void ping(InetAddress address, Duration timeout, Consumer<CheckResult> done) {
    submit(() -> {
      try {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        return address.isReachable(ms) ? CheckResult.up("echo reply")
            : CheckResult.down("timeout after " + ms + " ms (no echo reply)");
      } catch (IOException e) {
        return CheckResult.down("ping failed: " + e.getMessage());
      }
    }, done);
  }

  /** FILE_CHECK: reads the file's number; see {@link #fileVerdict}. */
  void file(Path path, int weight, int baseWeight, Consumer<CheckResult> done) {
    submit(() -> {
      String text;
      try {
        byte[] b = Files.readAllBytes(path);
        text = new String(b, 0, Math.min(b.length, 64), java.nio.charset.StandardCharsets.US_ASCII);
      } catch (IOException e) {
        return CheckResult.down("cannot read " + path + ": " + e.getMessage());
      }
      return fileVerdict(text, weight, baseWeight);
    }, done);
  }

  /** keepalived's track_file rule for real servers. */
  static CheckResult fileVerdict(String text, int weight, int baseWeight) {
    long v;
    try {
      String t = text.strip();
      v = t.isEmpty() ? 0 : Long.parseLong(t.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      return CheckResult.down("file does not hold a number: \"" + text.strip() + "\"");
    }
    if (weight == 0) {
      return v == 0 ? CheckResult.up("file says 0") : CheckResult.down("file says " + v);
    }
    long w = baseWeight + v * weight;
    if (w < 0) {
      return CheckResult.down("file says " + v + ": weight " + w + " below 0");
    }
    return CheckResult.upWithWeight((int) Math.min(65535, w), "file says " + v + ": weight " + Math.min(65535, w));
  }

  private void submit(java.util.function.Supplier<CheckResult> work, Consumer<CheckResult> done) {
    try {
      pool.execute(() -> {
        CheckResult r;
        try {
          if (setup != null && !setUp.get()) {
            setup.run();
            setUp.set(true);
          }
          r = work.get();
        } catch (RuntimeException e) {
          r = CheckResult.down("check failed: " + e);
        }
        done.accept(r);
      });
    } catch (RejectedExecutionException e) {
      done.accept(CheckResult.down("health monitor is closed"));
    }
  }

  private static CheckResult runScript(List<String> command, String user, Duration timeout, boolean dynamic) {
    // no setuid in plain Java: the shared ScriptUser prefix (util-linux setpriv) switches uid, gid and groups
    // before exec, still without a shell; the same as vrrp_scripts and notify scripts
    ScriptPolicy.Decision how = ScriptPolicy.NONE.decide(command, user);
    if (how.isRefused()) {
      return CheckResult.down("cannot run " + command.get(0) + ": " + how.refused());
    }
    List<String> argv = how.argv();
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectInput(DEV_NULL).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return CheckResult.down("cannot run " + command.get(0) + ": " + e.getMessage());
    }
    try {
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(p);
        return CheckResult.down("timeout after " + timeout.toMillis() + " ms (" + command.get(0) + " killed)");
      }
      return verdict(p.exitValue(), dynamic);
    } catch (InterruptedException e) {
      killTree(p);
      Thread.currentThread().interrupt();
      return CheckResult.down("interrupted (" + command.get(0) + " killed)");
    }
  }

  /** Kills the program and everything it started (SIGKILL), waiting at most 1 s. */
  static void killTree(Process p) {
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * keepalived's MISC_CHECK exit rule: 0 up, 1 down, with misc_dynamic 2-255 up with
   * weight code - 2. Java reports death by signal N as 128 + N, so 129-159 count as
   * "killed" (down) — a program cannot use those codes for weights 127-157.
   */
  static CheckResult verdict(int code, boolean dynamic) {
    if (code == 0) {
      return CheckResult.up("exit 0");
    }
    if (code > 128 && code <= 128 + 31) {
      return CheckResult.down("killed by signal " + (code - 128));
    }
    if (dynamic && code >= 2 && code <= 255) {
      return CheckResult.upWithWeight(code - 2, "exit " + code + ": weight " + (code - 2));
    }
    return CheckResult.down("exit " + code);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

package io.lbkit.fleet;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a BGP daemon's command-line client (FRR's {@code vtysh}, GoBGP's {@code gobgp}) and returns its output; the
 * seam the announcers' unit tests replace with a scripted runner.
 */
@FunctionalInterface
interface CommandRunner {
  /**
   * Runs the command to its end.
   *
   * @return its output (stdout and stderr), if it exited 0
   * @throws IOException naming the command, its exit code and output, or the deadline it missed
   */
  String run(List<String> command) throws IOException;

  /** Runs each command as a process, stdin closed, killed if it has not exited within {@code seconds}. */
  static CommandRunner withDeadline(long seconds) {
    return cmd -> {
      String line = String.join(" ", cmd);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      CompletableFuture<byte[]> out = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          out.complete(p.getInputStream().readAllBytes());
        } catch (IOException e) {
          out.completeExceptionally(e);
        }
      }, "lbkit-bgp-command-output");
      reader.setDaemon(true);
      reader.start();
      try {
        p.getOutputStream().close();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(line + ": no answer within " + seconds + " s");
        }
        String text = new String(out.get(seconds, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IOException(line + " exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(line + ": reading its output: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(line + ": interrupted");
      }
    };
  }
}

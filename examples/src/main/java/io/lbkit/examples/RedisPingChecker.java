package io.lbkit.examples;

import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.checks.CheckResult;
import io.lbkit.checks.Checker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An example custom checker: a Redis {@code PING} must be answered {@code +PONG}. It is
 * found by {@code ServiceLoader} (see {@code META-INF/services/io.lbkit.checks.Checker}
 * in this module), and selected by a {@link CustomCheck} of type {@code REDIS_PING}:
 *
 * <pre>{@code
 * new CustomCheck("REDIS_PING", Map.of("expect", "+PONG"), CheckTiming.DEFAULT, CheckTarget.REAL_SERVER.port(6379))
 * }</pre>
 *
 * <p>It never blocks the calling thread (the shared check thread): the I/O runs on
 * asynchronous channels and completes the returned stage; the scheduler enforces
 * connect_timeout and ignores a late answer.
 */
public final class RedisPingChecker implements Checker {
  /** For ServiceLoader. */
  public RedisPingChecker() {}

  @Override
  public String type() {
    return "REDIS_PING";
  }

  @Override
  public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
    String expect = spec instanceof CustomCheck c ? c.params().getOrDefault("expect", "+PONG") : "+PONG";
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel ch;
    try {
      ch = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(CheckResult.down("cannot open a socket: " + e.getMessage()));
    }
    result.whenComplete((r, e) -> close(ch)); // the scheduler's timeout does not close it: we do, on any outcome
    ch.connect(target, null, handler(result, "connect", v -> {
      ByteBuffer ping = ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      ch.write(ping, null, handler(result, "write", n -> {
        ByteBuffer in = ByteBuffer.allocate(256);
        ch.read(in, null, handler(result, "read", m -> {
          String reply = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).strip();
          result.complete(reply.equals(expect) ? CheckResult.up("redis answered " + reply)
              : CheckResult.down("redis answered \"" + reply + "\", want " + expect));
        }));
      }));
    }));
    // bound our own wait too, so the channel is closed even if the scheduler has moved on
    result.completeOnTimeout(CheckResult.down("timeout after " + timeout.toMillis() + " ms"), timeout.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return result;
  }

  private static <V> CompletionHandler<V, Void> handler(CompletableFuture<CheckResult> result, String op,
      java.util.function.Consumer<V> next) {
    return new CompletionHandler<>() {
      @Override
      public void completed(V v, Void a) {
        next.accept(v);
      }

      @Override
      public void failed(Throwable e, Void a) {
        result.complete(CheckResult.down(e instanceof java.net.ConnectException ? "connection refused"
            : op + " failed: " + e.getMessage()));
      }
    };
  }

  private static void close(AsynchronousSocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing a failed channel: nothing left to release
    }
  }
}

package io.lbkit.checks.internal;

import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One HTTP(S) GET on the checkers' own code path, for genhash. */
public final class Fetch {
  private Fetch() {}

  /** What a fetch got: status -1 and {@code error} set when it failed. */
  public record Got(int status, byte[] header, byte[] body, String digest, String error) {}

  /** Fetches {@code path}; {@code protocol} is "1.0", "1.0c" or "1.1". */
  public static Got get(InetSocketAddress server, String path, boolean tls, String sni, String host, String protocol,
      Duration timeout) throws InterruptedException {
    HttpCheck.Url url = new HttpCheck.Url(path, List.of(new int[] {100, 999}), null, null, false, null);
    HttpDialog d = new HttpDialog(url, host != null ? host : Probes.hostPort(server), protocol).capture();
    CompletableFuture<CheckResult> f = new CompletableFuture<>();
    try (NioEngine engine = NioEngine.start("lbkit-genhash")) {
      engine.execute(() -> new StreamSession(engine, server, null,
          tls ? Tls.engine(Tls.trustAll(), server, sni) : null, d, timeout.toNanos(), f::complete).start());
      CheckResult r = f.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
      if (!r.up()) {
        return new Got(-1, d.header(), d.body(), null, r.reason());
      }
      return new Got(d.status(), d.header(), d.body(), d.digest(), null);
    } catch (ExecutionException | TimeoutException e) {
      return new Got(-1, new byte[0], new byte[0], null, e.toString());
    }
  }
}

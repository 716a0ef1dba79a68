package io.lbkit.checks;

import io.lbkit.checks.internal.Fetch;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * keepalived's {@code genhash}: fetch a url once, on the same code path as HTTP_GET /
 * SSL_GET, and give the MD5 digest of its body for a {@code digest} setting.
 *
 * <pre>{@code
 * Genhash.Result r = Genhash.fetch(new InetSocketAddress("10.0.0.1", 80), "/index.html", false, null, null,
 *     "1.0", Duration.ofSeconds(5));
 * System.out.println(r.digest());
 * }</pre>
 */
public final class Genhash {
  private Genhash() {}

  /**
   * What the fetch got.
   *
   * @param status the HTTP status, or -1 when it failed
   * @param header the response header bytes (to the blank line)
   * @param body the body bytes as received
   * @param digest the lowercase hex MD5 of the body, or null when it failed
   * @param error why it failed, or null
   */
  public record Result(int status, byte[] header, byte[] body, String digest, String error) {
    /** True when a response was read. */
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Fetches {@code path} from {@code server}.
   *
   * @param tls use TLS (certificate not verified, as genhash)
   * @param sni the TLS server name, or null for none
   * @param virtualHost the Host header, or null for {@code address:port}
   * @param protocol "1.0", "1.0c" (1.0 with Connection: close) or "1.1"
   * @param timeout the whole fetch's deadline
   */
  public static Result fetch(InetSocketAddress server, String path, boolean tls, String sni, String virtualHost,
      String protocol, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(server, "server");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("url must start with '/': \"" + path + "\"");
    }
    if (!protocol.equals("1.0") && !protocol.equals("1.0c") && !protocol.equals("1.1")) {
      throw new IllegalArgumentException("protocol must be 1.0, 1.0c or 1.1: \"" + protocol + "\"");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    Fetch.Got g = Fetch.get(server, path, tls, sni, virtualHost, protocol, timeout);
    return new Result(g.status(), g.header(), g.body(), g.digest(), g.error());
  }
}

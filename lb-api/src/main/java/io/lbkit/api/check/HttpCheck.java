package io.lbkit.api.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * keepalived's HTTP_GET and SSL_GET: fetch each url, compare status, digest and
 * regex; up only if every url passes.
 *
 * <pre>{@code
 * HttpCheck.get("/test.html").status(200)
 * }</pre>
 *
 * @param tls SSL_GET (true) or HTTP_GET
 * @param urls the urls to fetch (at least one)
 * @param virtualHost Host header, or null for the address
 * @param httpVersion "1.0" (keepalived's default) or "1.1"
 * @param sni TLS server name, or null
 * @param verifyCaFile a CA bundle to verify the server against, or null to not verify
 * @param timing timing
 * @param target target
 */
public record HttpCheck(boolean tls, List<Url> urls, String virtualHost, String httpVersion, String sni,
    String verifyCaFile, CheckTiming timing, CheckTarget target) implements CheckSpec {

  /**
   * One url to fetch.
   *
   * @param path the path, starting with {@code /}
   * @param statusRanges accepted statuses as inclusive [from, to] pairs; empty = 200-299
   * @param digest expected MD5 of the body in hex (genhash's output), or null
   * @param regex a regex the body must match (or must not, with regexNoMatch), or null
   * @param regexNoMatch invert the regex
   * @param virtualHost Host header for this url, or null
   */
  public record Url(String path, List<int[]> statusRanges, String digest, String regex, boolean regexNoMatch,
      String virtualHost) {
    /** Validates. */
    public Url {
      Objects.requireNonNull(path, "url path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("url path must start with '/': \"" + path + "\"");
      }
      statusRanges = List.copyOf(statusRanges);
      for (int[] r : statusRanges) {
        if (r.length != 2 || r[0] < 100 || r[1] > 999 || r[0] > r[1]) {
          throw new IllegalArgumentException("invalid status_code range: " + java.util.Arrays.toString(r));
        }
      }
      if (digest != null && !digest.matches("[0-9a-fA-F]{32}")) {
        throw new IllegalArgumentException("digest must be 32 hex digits (MD5): \"" + digest + "\"");
      }
    }

    /** A url accepting 2xx. */
    public static Url of(String path) {
      return new Url(path, List.of(), null, null, false, null);
    }

    /** With exactly this accepted status (added to any others). */
    public Url status(int code) {
      return status(code, code);
    }

    /** With an accepted status range (added to any others). */
    public Url status(int from, int to) {
      List<int[]> l = new ArrayList<>(statusRanges);
      l.add(new int[] {from, to});
      return new Url(path, l, digest, regex, regexNoMatch, virtualHost);
    }

    /** With an expected body digest. */
    public Url digest(String md5hex) {
      return new Url(path, statusRanges, md5hex, regex, regexNoMatch, virtualHost);
    }

    /** With a body regex. */
    public Url regex(String re, boolean noMatch) {
      return new Url(path, statusRanges, digest, re, noMatch, virtualHost);
    }

    /** True if {@code status} is accepted. */
    public boolean accepts(int status) {
      if (statusRanges.isEmpty()) {
        return status >= 200 && status <= 299;
      }
      for (int[] r : statusRanges) {
        if (status >= r[0] && status <= r[1]) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Url u)) {
        return false;
      }
      if (u.statusRanges.size() != statusRanges.size()) {
        return false;
      }
      for (int i = 0; i < statusRanges.size(); i++) {
        if (!java.util.Arrays.equals(statusRanges.get(i), u.statusRanges.get(i))) {
          return false;
        }
      }
      return path.equals(u.path) && Objects.equals(digest, u.digest) && Objects.equals(regex, u.regex)
          && regexNoMatch == u.regexNoMatch && Objects.equals(virtualHost, u.virtualHost);
    }

    @Override
    public int hashCode() {
      int h = Objects.hash(path, digest, regex, regexNoMatch, virtualHost);
      for (int[] r : statusRanges) {
        h = 31 * h + java.util.Arrays.hashCode(r);
      }
      return h;
    }
  }

  /** Validates. */
  public HttpCheck {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException((tls ? "SSL_GET" : "HTTP_GET") + " needs at least one url");
    }
    if (!"1.0".equals(httpVersion) && !"1.1".equals(httpVersion)) {
      throw new IllegalArgumentException("http_protocol must be 1.0 or 1.1: \"" + httpVersion + "\"");
    }
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(target, "target");
  }

  /** HTTP_GET of one path, 2xx accepted. */
  public static HttpCheck get(String path) {
    return new HttpCheck(false, List.of(Url.of(path)), null, "1.0", null, null, CheckTiming.DEFAULT,
        CheckTarget.REAL_SERVER);
  }

  /** SSL_GET of one path, 2xx accepted, certificate not verified (keepalived's default). */
  public static HttpCheck sslGet(String path) {
    return new HttpCheck(true, List.of(Url.of(path)), null, "1.0", null, null, CheckTiming.DEFAULT,
        CheckTarget.REAL_SERVER);
  }

  /** The last url accepts exactly this status. */
  public HttpCheck status(int code) {
    List<Url> l = new ArrayList<>(urls);
    l.set(l.size() - 1, l.get(l.size() - 1).status(code));
    return new HttpCheck(tls, l, virtualHost, httpVersion, sni, verifyCaFile, timing, target);
  }

  /** The last url accepts this inclusive status range (added to any others). */
  public HttpCheck status(int from, int to) {
    List<Url> l = new ArrayList<>(urls);
    l.set(l.size() - 1, l.get(l.size() - 1).status(from, to));
    return new HttpCheck(tls, l, virtualHost, httpVersion, sni, verifyCaFile, timing, target);
  }

  /** With another url. */
  public HttpCheck url(Url url) {
    List<Url> l = new ArrayList<>(urls);
    l.add(url);
    return new HttpCheck(tls, l, virtualHost, httpVersion, sni, verifyCaFile, timing, target);
  }

  /** With timing. */
  public HttpCheck timing(CheckTiming t) {
    return new HttpCheck(tls, urls, virtualHost, httpVersion, sni, verifyCaFile, t, target);
  }

  /** With a target. */
  public HttpCheck target(CheckTarget t) {
    return new HttpCheck(tls, urls, virtualHost, httpVersion, sni, verifyCaFile, timing, t);
  }

  /** With a Host header. */
  public HttpCheck virtualHost(String host) {
    return new HttpCheck(tls, urls, host, httpVersion, sni, verifyCaFile, timing, target);
  }

  @Override
  public String type() {
    return tls ? "SSL_GET" : "HTTP_GET";
  }
}

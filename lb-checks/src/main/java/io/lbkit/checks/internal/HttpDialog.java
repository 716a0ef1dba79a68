package io.lbkit.checks.internal;

import io.lbkit.api.check.HttpCheck;
import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One url of HTTP_GET / SSL_GET: keepalived's request bytes, then the status line,
 * headers and body, checked against status ranges, the MD5 digest (over the raw body
 * bytes as received, exactly as keepalived's genhash hashes them: chunked framing is
 * not decoded) and the regex. Pure: no I/O.
 */
final class HttpDialog implements Dialog {
  static final int MAX_HEADER = 64 * 1024;
  static final int MAX_REGEX_BODY = 1024 * 1024;

  private final HttpCheck.Url url;
  private final String request;
  private final Pattern regex;
  private MessageDigest md5;
  private final ByteBuffer header = ByteBuffer.allocate(256);
  private ByteBuffer headerBuf = header;
  private boolean inBody;
  private int status = -1;
  private long contentLength = -1;
  private long bodyBytes;
  private StringBuilder bodyText;
  private java.io.ByteArrayOutputStream captured;
  private byte[] headerBytes;

  HttpDialog(HttpCheck.Url url, String hostHeader, String protocol) {
    this.url = url;
    this.request = request(url.path(), hostHeader, protocol);
    this.regex = url.regex() == null ? null : Pattern.compile(url.regex());
    this.bodyText = regex == null ? null : new StringBuilder();
    this.md5 = url.digest() == null ? null : newMd5(); // hashing only when a digest is configured
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  /**
   * keepalived's request, byte for byte: {@code protocol} is "1.0", "1.0c" (1.0 with
   * Connection: close) or "1.1" (which always sends Connection: close).
   */
  static String request(String path, String host, String protocol) {
    boolean close = !protocol.equals("1.0");
    String version = protocol.equals("1.1") ? "1.1" : "1.0";
    return "GET " + path + " HTTP/" + version + "\r\nUser-Agent: KeepAliveClient\r\n"
        + (close ? "Connection: close\r\n" : "") + "Host: " + host + "\r\n\r\n";
  }

  String request() {
    return request;
  }

  @Override
  public ByteBuffer onOpen() {
    return ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public ByteBuffer pendingOutput() {
    return null;
  }

  @Override
  public CheckResult onData(ByteBuffer data) {
    if (!inBody) {
      CheckResult r = readHeader(data);
      if (r != null || !inBody) {
        return r;
      }
    }
    return body(data);
  }

  private CheckResult readHeader(ByteBuffer data) {
    while (data.hasRemaining()) {
      if (!headerBuf.hasRemaining()) {
        if (headerBuf.capacity() >= MAX_HEADER) {
          return CheckResult.down("response header longer than " + MAX_HEADER + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(headerBuf.capacity() * 4);
        headerBuf.flip();
        bigger.put(headerBuf);
        headerBuf = bigger;
      }
      headerBuf.put(data.get());
      int p = headerBuf.position();
      if (p >= 4 && headerBuf.get(p - 1) == '\n' && headerBuf.get(p - 2) == '\r' && headerBuf.get(p - 3) == '\n'
          && headerBuf.get(p - 4) == '\r') {
        inBody = true;
        headerBytes = java.util.Arrays.copyOf(headerBuf.array(), p);
        return parseHeader(new String(headerBuf.array(), 0, p, StandardCharsets.ISO_8859_1));
      }
    }
    return null;
  }

  private CheckResult parseHeader(String text) {
    String[] lines = text.split("\r\n");
    String[] sl = lines[0].split(" ", 3);
    if (sl.length < 2 || !sl[0].startsWith("HTTP/") || !sl[1].matches("\\d{3}")) {
      return CheckResult.down("malformed status line: \"" + abbreviate(lines[0]) + "\"");
    }
    status = Integer.parseInt(sl[1]);
    if (!url.accepts(status)) {
      return CheckResult.down("status " + status + " on " + url.path());
    }
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      int c = l.indexOf(':');
      if (c > 0 && l.substring(0, c).trim().equalsIgnoreCase("Content-Length")) {
        try {
          contentLength = Long.parseLong(l.substring(c + 1).trim());
        } catch (NumberFormatException e) {
          return CheckResult.down("bad Content-Length: \"" + abbreviate(l) + "\"");
        }
      }
    }
    return contentLength == 0 ? verdict() : null;
  }

  private CheckResult body(ByteBuffer data) {
    int n = data.remaining();
    if (contentLength >= 0 && bodyBytes + n > contentLength) {
      n = (int) (contentLength - bodyBytes);
    }
    if (bodyText != null && bodyText.length() < MAX_REGEX_BODY) {
      int take = Math.min(n, MAX_REGEX_BODY - bodyText.length());
      bodyText.append(new String(data.array(), data.arrayOffset() + data.position(), take,
          StandardCharsets.ISO_8859_1));
    }
    if (captured != null) {
      captured.write(data.array(), data.arrayOffset() + data.position(), n);
    }
    if (md5 != null) {
      ByteBuffer slice = data.slice();
      slice.limit(n);
      md5.update(slice);
    }
    data.position(data.limit());
    bodyBytes += n;
    return contentLength >= 0 && bodyBytes >= contentLength ? verdict() : null;
  }

  @Override
  public CheckResult onEof() {
    if (!inBody) {
      return CheckResult.down("connection closed before the response header");
    }
    if (contentLength >= 0 && bodyBytes < contentLength) {
      return CheckResult.down("body truncated at " + bodyBytes + " of " + contentLength + " bytes");
    }
    return verdict();
  }

  /** The lowercase hex MD5 of the body read so far (genhash's output). */
  String digest() {
    return md5 == null ? null : HexFormat.of().formatHex(md5.digest());
  }

  private CheckResult verdict() {
    String d = url.digest() == null ? null : digest();
    if (d != null && !d.equalsIgnoreCase(url.digest())) {
      return CheckResult.down("digest mismatch on " + url.path() + ": got " + d + ", want " + url.digest());
    }
    if (regex != null) {
      boolean found = regex.matcher(bodyText).find();
      if (found == url.regexNoMatch()) {
        return CheckResult.down((found ? "regex matched" : "regex not matched") + " on " + url.path() + ": "
            + url.regex());
      }
    }
    return CheckResult.up("status " + status + " on " + url.path());
  }

  /** Keeps the body for {@link #body()} (genhash's verbose output). */
  HttpDialog capture() {
    captured = new java.io.ByteArrayOutputStream();
    md5 = newMd5();
    return this;
  }

  byte[] header() {
    return headerBytes == null ? new byte[0] : headerBytes.clone();
  }

  byte[] body() {
    return captured == null ? new byte[0] : captured.toByteArray();
  }

  int status() {
    return status;
  }

  @Override
  public String phase() {
    return inBody ? "reading body of " + url.path() : "waiting for the response to " + url.path();
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

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

  /**
   * What stays the same for every attempt on one url of one target, built once when the
   * check is bound: keepalived's request bytes and the compiled regex.
   */
  static final class Plan {
    final HttpCheck.Url url;
    final byte[] request;
    /**
     * The request in native memory, duplicated per attempt: the channel writes it as it is, with no copy
     * through the JDK's per-thread temporary direct buffers (a heap buffer's write takes one, copies into it and
     * gives it back).
     */
    private final ByteBuffer requestOut;
    final Pattern regex;
    // the verdict "status N on /path", reused while N repeats (the loop thread only)
    private CheckResult lastUp;
    private int lastStatus = -1;

    Plan(HttpCheck.Url url, String hostHeader, String protocol) {
      this.url = url;
      this.request = HttpDialog.request(url.path(), hostHeader, protocol).getBytes(StandardCharsets.ISO_8859_1);
      this.requestOut = ByteBuffer.allocateDirect(request.length).put(request).flip().asReadOnlyBuffer();
      this.regex = url.regex() == null ? null : Pattern.compile(url.regex());
    }

    /** The up verdict for {@code status}; one string per status change, not per attempt. */
    CheckResult up(int status) {
      if (lastUp != null && lastStatus == status) {
        return lastUp;
      }
      CheckResult r = CheckResult.up("status " + status + " on " + url.path());
      lastUp = r;
      lastStatus = status;
      return r;
    }
  }

  private final Plan plan;
  private final HttpCheck.Url url;
  private final Pattern regex;
  private MessageDigest md5;
  private ByteBuffer headerBuf;
  private boolean inBody;
  private int status = -1;
  private long contentLength = -1;
  private long bodyBytes;
  private StringBuilder bodyText;
  private java.io.ByteArrayOutputStream captured;
  private byte[] headerBytes;

  HttpDialog(HttpCheck.Url url, String hostHeader, String protocol) {
    this(new Plan(url, hostHeader, protocol));
  }

  HttpDialog(Plan plan) {
    this.plan = plan;
    this.url = plan.url;
    this.regex = plan.regex;
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
    return new String(plan.request, StandardCharsets.ISO_8859_1);
  }

  @Override
  public ByteBuffer onOpen() {
    return plan.requestOut.duplicate();
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
    if (headerBuf == null && data.hasArray()) {
      // the usual case: the whole header came in one read; parse it where it lies
      byte[] a = data.array();
      int from = data.arrayOffset() + data.position();
      int end = headerEnd(a, from, data.arrayOffset() + data.limit());
      if (end > 0) {
        inBody = true;
        if (captured != null) {
          headerBytes = java.util.Arrays.copyOfRange(a, from, end);
        }
        data.position(data.position() + end - from);
        return parseHeader(a, from, end);
      }
    }
    if (headerBuf == null) {
      headerBuf = ByteBuffer.allocate(Math.max(256, Integer.highestOneBit(data.remaining()) << 1));
    }
    while (data.hasRemaining()) {
      if (!headerBuf.hasRemaining()) {
        if (headerBuf.capacity() >= MAX_HEADER) {
          return CheckResult.down("response header longer than " + MAX_HEADER + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEADER, headerBuf.capacity() * 4));
        headerBuf.flip();
        bigger.put(headerBuf);
        headerBuf = bigger;
      }
      byte c = data.get();
      headerBuf.put(c);
      int p = headerBuf.position();
      byte[] h = headerBuf.array();
      if (c == '\n' && p >= 4 && h[p - 2] == '\r' && h[p - 3] == '\n' && h[p - 4] == '\r') {
        inBody = true;
        if (captured != null) {
          headerBytes = java.util.Arrays.copyOf(h, p);
        }
        return parseHeader(h, 0, p);
      }
    }
    return null;
  }

  /** Where the header in {@code h[from, to)} ends (after its blank line), or -1. */
  private static int headerEnd(byte[] h, int from, int to) {
    for (int i = from + 3; i < to; i++) {
      if (h[i] == '\n' && h[i - 1] == '\r' && h[i - 2] == '\n' && h[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The status line and Content-Length of the header h[from, len), parsed in place (no strings when good). */
  private CheckResult parseHeader(byte[] h, int from, int len) {
    int eol = indexOf(h, from, len, (byte) '\r');
    int sp = indexOf(h, from, eol, (byte) ' ');
    int end = sp < 0 ? -1 : indexOf(h, sp + 1, eol, (byte) ' ');
    end = end < 0 ? eol : end;
    if (sp - from < 5 || !startsWith(h, from, "HTTP/") || end - sp != 4 || !digit(h[sp + 1]) || !digit(h[sp + 2])
        || !digit(h[sp + 3])) {
      return CheckResult.down("malformed status line: \"" + abbreviate(text(h, from, eol)) + "\"");
    }
    status = (h[sp + 1] - '0') * 100 + (h[sp + 2] - '0') * 10 + (h[sp + 3] - '0');
    if (!url.accepts(status)) {
      return CheckResult.down("status " + status + " on " + url.path());
    }
    for (int line = eol + 2; line < len - 2; ) {
      int next = indexOf(h, line, len, (byte) '\r');
      int colon = indexOf(h, line, next, (byte) ':');
      if (colon > line && isContentLength(h, line, colon)) {
        contentLength = number(h, colon + 1, next);
        if (contentLength < 0) {
          return CheckResult.down("bad Content-Length: \"" + abbreviate(text(h, line, next)) + "\"");
        }
      }
      line = next + 2;
    }
    return contentLength == 0 ? verdict() : null;
  }

  private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

  /** Whether h[from, colon) is "Content-Length", any case, blanks around it ignored. */
  private static boolean isContentLength(byte[] h, int from, int colon) {
    while (from < colon && (h[from] == ' ' || h[from] == '\t')) {
      from++;
    }
    while (colon > from && (h[colon - 1] == ' ' || h[colon - 1] == '\t')) {
      colon--;
    }
    if (colon - from != CONTENT_LENGTH.length) {
      return false;
    }
    for (int i = 0; i < CONTENT_LENGTH.length; i++) {
      byte c = h[from + i];
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != CONTENT_LENGTH[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] h, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (h[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** The decimal number in h[from, to), blanks around it allowed; -1 if it is not one. */
  private static long number(byte[] h, int from, int to) {
    while (from < to && (h[from] == ' ' || h[from] == '\t')) {
      from++;
    }
    while (to > from && (h[to - 1] == ' ' || h[to - 1] == '\t')) {
      to--;
    }
    if (from == to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      if (!digit(h[i])) {
        return -1;
      }
      v = v * 10 + h[i] - '0';
    }
    return v;
  }

  private static boolean startsWith(byte[] h, int from, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (h[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean digit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static String text(byte[] h, int from, int to) {
    return new String(h, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
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
    return plan.up(status);
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

package io.lbkit.api.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parsing and formatting of IP address literals without ever asking DNS.
 *
 * <p>{@link InetAddress#getByName} resolves host names, which a load balancer's
 * configuration must never do silently; this class accepts literals only.
 */
public final class Inet {
  private Inet() {}

  /**
   * This machine's host name as the kernel holds it ({@code gethostname(2)}: on Linux
   * {@code /proc/sys/kernel/hostname}), the name keepalived takes for its config id and
   * SMTP HELO; {@code $HOSTNAME} where /proc is not readable, else {@code "localhost"}.
   * Unlike {@link InetAddress#getLocalHost()} it never resolves the name, so a start with
   * an unreachable name server does not wait for the resolver's timeout.
   */
  public static String hostName() {
    try {
      String h = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (java.io.IOException | SecurityException e) {
      // not Linux, or /proc not mounted: the environment's name below
    }
    String h = System.getenv("HOSTNAME");
    return h == null || h.isEmpty() ? "localhost" : h;
  }

  /**
   * Parses an IPv4 or IPv6 literal ({@code "192.168.0.200"}, {@code "2001:db8::1"},
   * optionally in brackets).
   *
   * @throws IllegalArgumentException if the text is not an address literal
   */
  public static InetAddress parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
    String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    byte[] bytes = s.indexOf(':') >= 0 ? parse6(s) : parse4(s);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
    return of(bytes);
  }

  /** True if {@code text} is an IPv4 or IPv6 literal. */
  public static boolean isLiteral(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The address from raw bytes (4 or 16). Sixteen bytes always give an IPv6 address,
   * even an IPv4-mapped one (which {@link InetAddress#getByAddress(byte[])} would
   * silently turn into IPv4).
   */
  public static InetAddress of(byte[] bytes) {
    try {
      return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length, e);
    }
  }

  /**
   * Orders addresses as unsigned big-endian numbers, every IPv4 address before every
   * IPv6 one (shorter first): the order ipvsadm lists services and destinations in,
   * and VRRP's tie-break between equal priorities (RFC 5798 6.4.3: the larger primary
   * address wins). Consistent with {@link InetAddress#equals} for addresses without an
   * IPv6 scope (the scope is ignored).
   *
   * <pre>{@code
   * Inet.compare(Inet.parse("10.0.0.2"), Inet.parse("10.0.0.10")) < 0
   * Inet.compare(Inet.parse("192.168.0.1"), Inet.parse("2001:db8::1")) < 0
   * }</pre>
   *
   * @return negative, zero or positive as {@code a} is below, equal to or above {@code b}
   */
  public static int compare(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    return java.util.Arrays.compareUnsigned(x, y);
  }

  /**
   * The address as {@code inet_ntop} prints it: dotted quad, or RFC 5952 IPv6 text
   * (lower case, longest zero run compressed), which is what ipvsadm and ip(8) show.
   */
  public static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
      return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }

  /** Four dot-separated decimals 0-255 of one to three digits each, or null. */
  private static byte[] parse4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int start = 0;
    int n = s.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || s.charAt(i) == '.') {
        int v = part < 4 ? decimal(s, start, i) : -1;
        if (v < 0 || v > 255) {
          return null;
        }
        out[part++] = (byte) v;
        start = i + 1;
      }
    }
    return part == 4 ? out : null;
  }

  private static int decimal(String p, int from, int to) {
    if (to == from || to - from > 3) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = p.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static byte[] parse6(String s) {
    int pct = s.indexOf('%');
    if (pct >= 0) {
      return null;
    }
    byte[] tail4 = null;
    int lastColon = s.lastIndexOf(':');
    if (s.indexOf('.', lastColon) >= 0) {
      tail4 = parse4(s.substring(lastColon + 1));
      if (tail4 == null) {
        return null;
      }
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String[] head;
    String[] tail;
    if (dbl >= 0) {
      String h = s.substring(0, dbl);
      String t = s.substring(dbl + 2);
      head = h.isEmpty() ? new String[0] : h.split(":", -1);
      tail = t.isEmpty() ? new String[0] : t.split(":", -1);
      if (head.length + tail.length > 7) {
        return null;
      }
    } else {
      head = s.split(":", -1);
      tail = new String[0];
      if (head.length != 8) {
        return null;
      }
    }
    int[] w = new int[8];
    for (int i = 0; i < head.length; i++) {
      if ((w[i] = hex(head[i])) < 0) {
        return null;
      }
    }
    for (int i = 0; i < tail.length; i++) {
      if ((w[8 - tail.length + i] = hex(tail[i])) < 0) {
        return null;
      }
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (w[i] >> 8);
      out[2 * i + 1] = (byte) w[i];
    }
    if (tail4 != null) {
      System.arraycopy(tail4, 0, out, 12, 4);
    }
    return out;
  }

  private static int hex(String p) {
    if (p.isEmpty() || p.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < p.length(); i++) {
      int d = Character.digit(p.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}

package io.lbkit.config.keepalived;

import io.lbkit.api.check.HttpCheck;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Checker arguments with a grammar of their own, read the way keepalived 2.2.7 reads them:
 * HTTP_GET/SSL_GET url blocks (status codes 100-599, 32-hex-digit digests) and UDP_CHECK
 * hex strings, http_protocol, DNS_CHECK type and name, FILE_CHECK weight. Every failure is
 * an error naming the keyword and the bad value.
 */
final class CheckArgs {
  /** keepalived's HTTP_STATUS_CODE_MIN / _MAX. */
  static final int STATUS_MIN = 100;
  static final int STATUS_MAX = 599;
  /** keepalived's DNS_CHECK types (dns_type_lookup, case-insensitive). */
  static final java.util.Set<String> DNS_TYPES = java.util.Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA",
      "RRSIG", "DNSKEY");

  private final Values v;
  private final Diags d;

  CheckArgs(Values v) {
    this.v = v;
    this.d = v.diags();
  }

  /** One url { } block, or null (reported) when it has no usable path. */
  HttpCheck.Url url(Node n) {
    if (!v.block(n)) {
      return null;
    }
    String path = null;
    List<int[]> ranges = new ArrayList<>();
    String digest = null;
    String regex = null;
    boolean noMatch = false;
    String vhost = null;
    for (Node c : n.children) {
      switch (c.name()) {
        case "path" -> path = v.need(c, 1) ? c.arg(0) : path;
        case "digest" -> {
          if (!v.need(c, 1)) {
            continue;
          }
          if (digest != null) {
            d.error(c.at(0), "digest '" + c.arg(0) + "' is a duplicate (keepalived keeps the first one)");
          } else if (c.arg(0).length() != 32) {
            d.error(c.at(0), "digest '" + c.arg(0) + "' has " + c.arg(0).length() + " characters; an MD5 digest has 32 "
                + "hex digits (keepalived ignores the line)");
          } else if (!c.arg(0).matches("[0-9a-fA-F]{32}")) {
            d.error(c.at(0), "digest '" + c.arg(0) + "' is not hex digits (keepalived ignores the line)");
          } else {
            digest = c.arg(0);
          }
        }
        case "status_code" -> {
          for (int i = 0; i < c.argc(); i++) {
            int[] r = statusRange(c.arg(i));
            if (r == null) {
              d.error(c.at(i), "status_code '" + c.arg(i) + "' is not a status or range A-B within " + STATUS_MIN + "-"
                  + STATUS_MAX + " (keepalived ignores it)");
            } else {
              ranges.add(r);
            }
          }
        }
        case "regex" -> regex = v.need(c, 1) ? c.arg(0) : regex;
        case "regex_no_match" -> noMatch = true;
        case "virtualhost" -> vhost = v.need(c, 1) ? c.arg(0) : vhost;
        case "regex_min_offset", "regex_max_offset", "regex_stack", "regex_options" -> { }
        default -> Mapper.unknown(d, c, "url", Keywords.URL);
      }
    }
    if (path == null) {
      d.error(n.keyword, "url has no path (keepalived ignores this url)");
      return null;
    }
    try {
      return new HttpCheck.Url(path, ranges, digest, regex, noMatch, vhost);
    } catch (IllegalArgumentException e) {
      d.error(n.keyword, "url: " + e.getMessage());
      return null;
    }
  }

  /** "200" or "200-299" within 100-599 (keepalived reads the numbers with strtoul), or null. */
  static int[] statusRange(String s) {
    if (!s.matches("[0-9]{1,9}(-[0-9]{1,9})?")) {
      return null;
    }
    String[] p = s.split("-", 2);
    int from = Integer.parseInt(p[0]);
    int to = p.length > 1 ? Integer.parseInt(p[1]) : from;
    return from < STATUS_MIN || to > STATUS_MAX || from > to ? null : new int[] {from, to};
  }

  /**
   * A hex string as keepalived's read_hex_str() reads it: words split on blanks, each read
   * two digits at a time (a lone last digit is a byte of its own: "12 5" is 12 05); with
   * {@code wildcards}, x/X matches any nibble (read as 0 here). A last byte ff is refused
   * like keepalived, which mistakes it for its invalid-digit marker. Null (reported) if invalid or empty.
   */
  byte[] hex(Node n, boolean wildcards) {
    String what = n.name();
    if (n.argc() == 0) {
      d.error(n.keyword, what + " needs a hex string");
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String text = n.rest();
    for (String word : text.trim().split("[ \t]+")) {
      for (int i = 0; i < word.length(); i += 2) {
        int hi = nibble(word.charAt(i), wildcards);
        int lo = i + 1 < word.length() ? nibble(word.charAt(i + 1), wildcards) : -2;
        if (hi < 0 || lo == -1) {
          d.error(n.keyword, what + " '" + text + "' is not a hex string (keepalived: \"Invalid hex string\"; it drops "
              + "the "
              + what + ")");
          return null;
        }
        out.write(lo == -2 ? hi : hi << 4 | lo);
      }
    }
    byte[] b = out.toByteArray();
    if (b.length > 0 && b[b.length - 1] == (byte) 0xff) {
      d.error(n.keyword, what + " '" + text + "' ends in byte ff, which keepalived 2.2 cannot read (\"Invalid hex "
          + "string\"; it drops the " + what + ")");
      return null;
    }
    return b;
  }

  private static int nibble(char c, boolean wildcards) {
    int x = Character.digit(c, 16);
    if (x >= 0) {
      return x;
    }
    return wildcards && (c == 'x' || c == 'X') ? 0 : -1;
  }

  /** http_protocol: 1.0, 1.1 or 1.0C (1.0 with "Connection: close", carried as 1.0); null (reported) otherwise. */
  String httpProtocol(Node n) {
    if (!v.need(n, 1)) {
      return null;
    }
    switch (n.arg(0)) {
      case "1.0", "1.1" -> {
        return n.arg(0);
      }
      case "1.0C", "1.0c" -> {
        d.warn(n.at(0), "http_protocol " + n.arg(0) + " (HTTP/1.0 with Connection: close) is carried as 1.0");
        return "1.0";
      }
      default -> {
        d.error(n.at(0), "http_protocol '" + n.arg(0) + "' is not 1.0, 1.1 or 1.0C (keepalived ignores the line)");
        return null;
      }
    }
  }

  String dnsType(Node n) {
    if (!v.need(n, 1)) {
      return null;
    }
    String t = n.arg(0).toUpperCase(java.util.Locale.ROOT);
    if (!DNS_TYPES.contains(t)) {
      d.error(n.at(0), "DNS_CHECK type '" + n.arg(0) + "' is not one of A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG, "
          + "DNSKEY (keepalived ignores the line)");
      return null;
    }
    return t;
  }

  /** DNS_CHECK name: the first one counts; a name with an empty label is refused (like keepalived). */
  String dnsName(Node n, String before) {
    if (!v.need(n, 1)) {
      return before;
    }
    String s = n.arg(0);
    if (before != null) {
      d.error(n.at(0), "DNS_CHECK name '" + s + "': a name is already given ('" + before + "'); keepalived ignores "
          + "this one");
      return before;
    }
    if ((s.startsWith(".") && s.length() > 1) || s.contains("..")) {
      d.error(n.at(0), "DNS_CHECK name '" + s + "' has an empty label (keepalived ignores the line)");
      return null;
    }
    return s;
  }

  /** FILE_CHECK weight N [reverse|noreverse], +/-2147483647; a bad option drops the whole line like keepalived. */
  Integer fileWeight(Node n) {
    Long w = v.decimal(n, 0, -2147483647L, 2147483647L);
    if (w == null) {
      return null;
    }
    boolean reverse = n.argc() > 1 && n.arg(1).equals("reverse");
    if (n.argc() > 1 && !reverse && !n.arg(1).equals("noreverse")) {
      d.error(n.at(1), "weight: unknown option '" + n.arg(1) + "' (expected reverse or noreverse); keepalived "
          + "ignores the line");
      return null;
    }
    return (int) (reverse ? -w : w);
  }
}

package io.lbkit.config.keepalived;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Argument parsing with keepalived's ranges; every failure is a diagnostic naming the
 * keyword, the bad value and what is allowed, and returns null.
 */
final class Values {
  private final Diags diags;

  Values(Diags diags) {
    this.diags = diags;
  }

  Diags diags() {
    return diags;
  }

  boolean need(Node n, int count) {
    if (n.argc() < count) {
      diags.error(n.keyword, n.name() + " needs " + (count == 1 ? "a value" : count + " values"));
      return false;
    }
    return true;
  }

  /** An integer argument in [min, max]. */
  Long integer(Node n, int i, long min, long max) {
    if (!need(n, i + 1)) {
      return null;
    }
    String s = n.arg(i);
    long v;
    try {
      v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      diags.error(n.at(i), n.name() + ": '" + s + "' is not an integer (allowed " + min + "-" + max + ")");
      return null;
    }
    if (v < min || v > max) {
      diags.error(n.at(i), n.name() + " " + s + " is out of range " + min + "-" + max);
      return null;
    }
    return v;
  }

  Integer int32(Node n, int i, long min, long max) {
    Long v = integer(n, i, min, max);
    return v == null ? null : (int) (long) v;
  }

  /** A keepalived TIMER: seconds with up to microsecond fractions, in [min, max] seconds. */
  Duration seconds(Node n, int i, double min, double max) {
    if (!need(n, i + 1)) {
      return null;
    }
    String s = n.arg(i);
    double d;
    try {
      if (!s.matches("[0-9]+(\\.[0-9]{0,6})?")) {
        throw new NumberFormatException(s);
      }
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      diags.error(n.at(i), n.name() + ": '" + s + "' is not a time in seconds (allowed " + fmt(min) + "-"
          + fmt(max) + ")");
      return null;
    }
    if (d < min || d > max) {
      diags.error(n.at(i), n.name() + " " + s + " is out of range " + fmt(min) + "-" + fmt(max) + " seconds");
      return null;
    }
    return Duration.ofNanos(Math.round(d * 1_000_000) * 1000);
  }

  /** keepalived's TIMER_MAXIMUM (ULONG_MAX - 1 microseconds), the upper bound of an unbounded timer. */
  static final java.math.BigInteger TIMER_MAX = java.math.BigInteger.TWO.pow(64).subtract(java.math.BigInteger.TWO);
  /** connect_timeout's bound: UINT_MAX microseconds. */
  static final long UINT_MAX = 0xffffffffL;
  /** The longest timer lbkit schedules (365 days, in microseconds); keepalived's larger ones are capped (warned). */
  static final long LBKIT_MAX_TIMER_MICROS = 365L * 86400 * 1_000_000;
  /** 0 to 255 seconds, shared: a large configuration gives each of its checks the same few timers. */
  private static final Duration[] WHOLE_SECONDS = new Duration[256];

  static {
    for (int i = 0; i < WHOLE_SECONDS.length; i++) {
      WHOLE_SECONDS[i] = Duration.ofSeconds(i);
    }
  }

  private static final java.util.regex.Pattern TIMER = java.util.regex.Pattern.compile("\\+?([0-9]*)(?:\\.([0-9]*))?");

  /**
   * A keepalived TIMER read like its read_timer(): seconds with up to six decimals (".5",
   * "5." and "+5" are numbers, more decimals are rounded with a warning), in [minMicros,
   * maxMicros] microseconds (maxMicros null = TIMER_MAXIMUM); null (reported) if invalid.
   */
  Duration timer(Node n, int i, long minMicros, Long maxMicros) {
    if (!need(n, i + 1)) {
      return null;
    }
    String s = n.arg(i);
    long plain = digits(s, 9);
    if (plain >= 0) {
      // the usual "3" or "60": whole seconds, no regex, no BigInteger, no message built
      long us = plain * 1_000_000;
      if (us >= minMicros && (maxMicros == null || us <= maxMicros) && us <= LBKIT_MAX_TIMER_MICROS) {
        return plain < WHOLE_SECONDS.length ? WHOLE_SECONDS[(int) plain] : Duration.ofNanos(us * 1000);
      }
    }
    java.math.BigInteger max = maxMicros == null ? TIMER_MAX : java.math.BigInteger.valueOf(maxMicros);
    String range = micros(java.math.BigInteger.valueOf(minMicros)) + "-" + micros(max) + " seconds";
    java.util.regex.Matcher mt = TIMER.matcher(s);
    if (s.startsWith("-")) {
      diags.error(n.at(i), n.name() + " " + s + " is negative (allowed " + range + ")");
      return null;
    }
    if (!mt.matches()) {
      diags.error(n.at(i), n.name() + ": '" + s + "' is not a time in seconds (allowed " + range + ")");
      return null;
    }
    String frac = mt.group(2) == null ? "" : mt.group(2);
    boolean roundUp = false;
    if (frac.length() > 6) {
      roundUp = frac.charAt(6) >= '5';
      frac = frac.substring(0, 6);
    }
    java.math.BigInteger v = new java.math.BigInteger("0" + mt.group(1) + (frac + "000000").substring(0, 6));
    if (roundUp) {
      v = v.add(java.math.BigInteger.ONE);
    }
    if (v.compareTo(java.math.BigInteger.valueOf(minMicros)) < 0 || v.compareTo(max) > 0) {
      diags.error(n.at(i), n.name() + " " + s + " is out of range " + range);
      return null;
    }
    if (mt.group(2) != null && mt.group(2).length() > 6) {
      diags.warn(n.at(i), n.name() + " " + s + " has more than 6 decimal places; keepalived rounds it to "
          + micros(v) + " seconds");
    }
    if (v.compareTo(java.math.BigInteger.valueOf(LBKIT_MAX_TIMER_MICROS)) > 0) {
      diags.warn(n.at(i), n.name() + " " + s + ": keepalived accepts it, lbkit caps it at " + LBKIT_MAX_TIMER_MICROS
          / 1_000_000 + " seconds (365 days)");
      v = java.math.BigInteger.valueOf(LBKIT_MAX_TIMER_MICROS);
    }
    return Duration.ofNanos(v.longValueExact() * 1000);
  }

  /** {@code s} as a number if it is 1 to {@code maxDigits} ASCII digits and nothing else, else -1. */
  static long digits(String s, int maxDigits) {
    int n = s.length();
    if (n == 0 || n > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String micros(java.math.BigInteger v) {
    java.math.BigInteger[] qr = v.divideAndRemainder(java.math.BigInteger.valueOf(1_000_000));
    String f = String.format("%06d", qr[1].intValue()).replaceAll("0+$", "");
    return qr[0] + (f.isEmpty() ? "" : "." + f);
  }

  /**
   * A base-10 integer read like keepalived's read_int()/read_unsigned() (no hex, an optional
   * '+'), in [min, max]; null (reported) if invalid.
   */
  Long decimal(Node n, int i, long min, long max) {
    if (!need(n, i + 1)) {
      return null;
    }
    String s = n.arg(i);
    long plain = digits(s, 18);
    if (plain >= 0 && plain >= min && plain <= max) {
      return plain; // the usual case, without a regex or a BigInteger
    }
    if (!s.matches("[+-]?[0-9]+")) {
      diags.error(n.at(i), n.name() + ": '" + s + "' is not an integer (allowed " + min + "-" + max + ")");
      return null;
    }
    java.math.BigInteger v = new java.math.BigInteger(s.startsWith("+") ? s.substring(1) : s);
    if (v.compareTo(java.math.BigInteger.valueOf(min)) < 0 || v.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      diags.error(n.at(i), n.name() + " " + s + " is out of range " + min + "-" + max);
      return null;
    }
    return v.longValue();
  }

  /**
   * keepalived's check_true_false(): an optional argument, exactly on|true|yes or
   * off|false|no (case matters); a bare keyword is true; null (reported) otherwise.
   */
  Boolean flag(Node n, int i) {
    if (n.argc() <= i) {
      return Boolean.TRUE;
    }
    switch (n.arg(i)) {
      case "on": case "true": case "yes":
        return Boolean.TRUE;
      case "off": case "false": case "no":
        return Boolean.FALSE;
      default:
        diags.error(n.at(i), n.name() + ": '" + n.arg(i) + "' is not on|off|true|false|yes|no (keepalived ignores "
            + "the line)");
        return null;
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** An IP literal (never DNS). */
  InetAddress address(Node n, int i) {
    if (!need(n, i + 1)) {
      return null;
    }
    try {
      return Inet.parse(n.arg(i));
    } catch (IllegalArgumentException e) {
      diags.error(n.at(i), n.name() + ": '" + n.arg(i) + "' is not an IP address");
      return null;
    }
  }

  /** A port 0-65535 (keepalived also accepts service names; lbkit only numbers). */
  Integer port(Node n, int i) {
    return int32(n, i, 0, 65535);
  }

  /** A BOOL argument if present (on|off|true|false|yes|no); a bare keyword is true. */
  Boolean bool(Node n, int i) {
    if (n.argc() <= i) {
      return Boolean.TRUE;
    }
    switch (n.arg(i).toLowerCase(Locale.ROOT)) {
      case "on": case "true": case "yes":
        return Boolean.TRUE;
      case "off": case "false": case "no":
        return Boolean.FALSE;
      default:
        diags.error(n.at(i), n.name() + ": '" + n.arg(i) + "' is not a boolean (on|off|true|false|yes|no)");
        return null;
    }
  }

  /** Reports words after the ones a keyword takes. */
  void noExtra(Node n, int max) {
    if (n.argc() > max) {
      diags.warn(n.at(max), n.name() + ": extra argument '" + n.arg(max) + "' ignored");
    }
  }

  /** A block keyword used without a block, or the other way round. */
  boolean block(Node n) {
    if (!n.isBlock()) {
      diags.error(n.keyword, n.name() + " needs a '{ ... }' block");
      return false;
    }
    return true;
  }
}

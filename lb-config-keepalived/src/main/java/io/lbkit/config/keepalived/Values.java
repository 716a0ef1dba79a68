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

package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Members of a virtual_server_group: {@code IP [PORT]}, {@code A.B.C.D-E [PORT]},
 * {@code A-B [PORT]}, {@code A/nn [PORT]} and {@code fwmark N [inet|inet6]}, expanded.
 */
final class GroupMembers {
  static final int MAX_PER_LINE = 65_536;

  /** One expanded member: an address and port, or a mark (address null). */
  record Member(InetAddress address, int port, int fwmark, Family family) {}

  private GroupMembers() {}

  static List<Member> parse(Node n, Values v) {
    Diags d = v.diags();
    List<Member> out = new ArrayList<>();
    if (n.name().equals("fwmark")) {
      Long mark = v.integer(n, 0, 1, 0xffffffffL);
      if (mark != null) {
        Family f = n.argc() > 1 && n.arg(1).equals("inet6") ? Family.INET6 : Family.INET;
        out.add(new Member(null, 0, (int) (long) mark, f));
      }
      return out;
    }
    int port = 0;
    if (n.argc() > 0) {
      Node fake = new Node(n.keyword, n.args, false);
      Integer p = v.port(fake, 0);
      if (p == null) {
        return out;
      }
      port = p;
    }
    String spec = n.name();
    try {
      InetAddress first;
      InetAddress last;
      int slash = spec.indexOf('/');
      int dash = spec.indexOf('-');
      if (slash > 0) {
        first = Inet.parse(spec.substring(0, slash));
        int bits = Family.of(first).bits();
        int prefix = Integer.parseInt(spec.substring(slash + 1));
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("prefix " + prefix + " out of range 0-" + bits);
        }
        BigInteger base = num(first).shiftRight(bits - prefix).shiftLeft(bits - prefix);
        first = addr(base, bits);
        last = addr(base.add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE), bits);
      } else if (dash > 0) {
        first = Inet.parse(spec.substring(0, dash));
        String end = spec.substring(dash + 1);
        if (Inet.isLiteral(end)) {
          last = Inet.parse(end);
        } else {
          boolean v6 = Family.of(first) == Family.INET6;
          String text = Inet.format(first);
          int cut = text.lastIndexOf(v6 ? ':' : '.');
          last = Inet.parse(text.substring(0, cut + 1) + end);
        }
      } else {
        first = Inet.parse(spec);
        last = first;
      }
      if (Family.of(first) != Family.of(last)) {
        throw new IllegalArgumentException("range mixes IPv4 and IPv6");
      }
      BigInteger a = num(first);
      BigInteger b = num(last);
      if (b.compareTo(a) < 0) {
        throw new IllegalArgumentException("range end is below its start");
      }
      if (b.subtract(a).compareTo(BigInteger.valueOf(MAX_PER_LINE)) >= 0) {
        throw new IllegalArgumentException("range has more than " + MAX_PER_LINE + " addresses");
      }
      int bits = Family.of(first).bits();
      for (BigInteger x = a; x.compareTo(b) <= 0; x = x.add(BigInteger.ONE)) {
        out.add(new Member(addr(x, bits), port, 0, Family.of(first)));
      }
    } catch (RuntimeException e) {
      d.error(n.keyword, "virtual_server_group member '" + spec + "' is not an address, range or fwmark: "
          + e.getMessage());
    }
    return out;
  }

  private static BigInteger num(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  private static InetAddress addr(BigInteger x, int bits) {
    byte[] raw = x.toByteArray();
    byte[] out = new byte[bits / 8];
    int n = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - n, out, out.length - n, n);
    return Inet.of(out);
  }
}

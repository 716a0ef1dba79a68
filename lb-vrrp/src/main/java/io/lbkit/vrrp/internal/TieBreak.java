package io.lbkit.vrrp.internal;

import java.net.InetAddress;

/** The RFC's tie-break between equal priorities: the larger primary address wins, compared unsigned. */
final class TieBreak {
  private TieBreak() {}

  /** Compares two addresses of one family as unsigned big-endian numbers. */
  static int compareUnsigned(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    for (int i = 0; i < x.length; i++) {
      int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}

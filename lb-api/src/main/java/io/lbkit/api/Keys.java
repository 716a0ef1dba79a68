package io.lbkit.api;

import java.net.InetAddress;

/** Orderings shared by keys and renderers (ipvsadm's sort order). */
final class Keys {
  private Keys() {}

  static int compare(ServiceKey a, ServiceKey b) {
    if (a instanceof ServiceKey.Fwmark fa) {
      if (b instanceof ServiceKey.Fwmark fb) {
        int c = Integer.compare(fa.family().number(), fb.family().number());
        return c != 0 ? c : Integer.compareUnsigned(fa.mark(), fb.mark());
      }
      return 1;
    }
    if (b instanceof ServiceKey.Fwmark) {
      return -1;
    }
    ServiceKey.Inet x = (ServiceKey.Inet) a;
    ServiceKey.Inet y = (ServiceKey.Inet) b;
    int c = Integer.compare(x.family().number(), y.family().number());
    if (c == 0) {
      c = Integer.compare(x.protocol().number(), y.protocol().number());
    }
    if (c == 0) {
      c = compareAddresses(x.address(), y.address());
    }
    return c != 0 ? c : Integer.compare(x.port(), y.port());
  }

  /** Unsigned byte-wise comparison, shorter (IPv4) first. */
  static int compareAddresses(InetAddress a, InetAddress b) {
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

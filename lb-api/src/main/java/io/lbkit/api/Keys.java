package io.lbkit.api;

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
      c = io.lbkit.api.net.Inet.compare(x.address(), y.address());
    }
    return c != 0 ? c : Integer.compare(x.port(), y.port());
  }
}

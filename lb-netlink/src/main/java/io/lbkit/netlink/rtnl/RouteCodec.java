package io.lbkit.netlink.rtnl;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlAttrs;
import io.lbkit.netlink.internal.NlWriter;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * rtnetlink route messages ({@code struct rtmsg} and RTA_* attributes) as pure
 * {@link ByteBuffer} code, for keepalived's {@code static_routes} and
 * {@code virtual_routes}. Routes lbkit adds carry protocol
 * {@link Rtnl#RTPROT_KEEPALIVED}, as keepalived's do, so {@code ip route} shows
 * {@code proto keepalived} and they are told apart from the administrator's.
 */
public final class RouteCodec {
  private RouteCodec() {}

  /**
   * A route as the kernel lists it: lb-api's {@link Route} but with the output interface
   * as an index (names are resolved by the caller).
   *
   * @param family the address family
   * @param destination destination network
   * @param prefixLength its prefix
   * @param gateway next hop or null
   * @param oif output interface index, or 0
   * @param source preferred source or null
   * @param metric RTA_PRIORITY or 0
   * @param table the table (RTA_TABLE, else rtm_table)
   * @param scope RT_SCOPE_*
   * @param protocol RTPROT_*
   * @param type RTN_*
   */
  public record RouteEntry(Family family, InetAddress destination, int prefixLength, InetAddress gateway, int oif,
      InetAddress source, int metric, int table, int scope, int protocol, int type) {}

  /** RTM_NEWROUTE with NLM_F_CREATE | NLM_F_EXCL (EEXIST if present); {@code oif} 0 for none. */
  public static void newRoute(NlWriter w, Route r, int oif) {
    route(w, Rtnl.RTM_NEWROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, r, oif);
  }

  /** RTM_DELROUTE (ESRCH if absent); any protocol and scope match, as {@code ip route del}. */
  public static void deleteRoute(NlWriter w, Route r, int oif) {
    route(w, Rtnl.RTM_DELROUTE, Nl.NLM_F_REQUEST, r, oif);
  }

  /** RTM_GETROUTE dump of {@code family}. */
  public static void dumpRoutes(NlWriter w, Family family) {
    int m = w.beginMessage(Rtnl.RTM_GETROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP);
    w.putRaw(new byte[] {(byte) family.number(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    w.endMessage(m);
  }

  private static void route(NlWriter w, int type, int flags, Route r, int oif) {
    Family f = Family.of(r.destination());
    if (r.gateway() != null && Family.of(r.gateway()) != f) {
      throw new IllegalArgumentException("route to " + Inet.format(r.destination()) + " via "
          + Inet.format(r.gateway()) + ": gateway of another family");
    }
    if (r.prefixLength() < 0 || r.prefixLength() > f.bits()) {
      throw new IllegalArgumentException("route prefix out of range 0-" + f.bits() + ": " + r.prefixLength());
    }
    if (oif < 0) {
      throw new IllegalArgumentException("output interface index must be positive: " + oif);
    }
    boolean add = type == Rtnl.RTM_NEWROUTE;
    int m = w.beginMessage(type, flags);
    ByteBuffer h = ByteBuffer.allocate(Rtnl.RTMSG_LEN).order(ByteOrder.nativeOrder());
    h.put((byte) f.number()).put((byte) r.prefixLength()).put((byte) 0).put((byte) 0)
        .put((byte) (r.table() < 256 ? r.table() : Rtnl.RT_TABLE_UNSPEC))
        .put((byte) (add ? Rtnl.RTPROT_KEEPALIVED : 0))
        .put((byte) (add ? r.scope() : Rtnl.RT_SCOPE_NOWHERE))
        .put((byte) (add ? Rtnl.RTN_UNICAST : 0)).putInt(0);
    w.putRaw(h.array());
    w.putU32(Rtnl.RTA_TABLE, r.table());
    w.putBytes(Rtnl.RTA_DST, masked(r.destination(), r.prefixLength()));
    if (r.gateway() != null) {
      w.putBytes(Rtnl.RTA_GATEWAY, r.gateway().getAddress());
    }
    if (oif > 0) {
      w.putU32(Rtnl.RTA_OIF, oif);
    }
    if (r.source() != null) {
      w.putBytes(Rtnl.RTA_PREFSRC, r.source().getAddress());
    }
    if (r.metric() > 0) {
      w.putU32(Rtnl.RTA_PRIORITY, r.metric());
    }
    w.endMessage(m);
  }

  /** The destination with host bits cleared: the kernel refuses 10.0.0.1/8 with EINVAL. */
  static byte[] masked(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    return b;
  }

  /**
   * Decodes RTM_NEWROUTE / RTM_DELROUTE at {@code off}; a route without RTA_DST is the
   * default route (destination all zeros, prefix 0).
   *
   * @throws ProtocolException if it is not a route message, is truncated or malformed
   */
  public static RouteEntry decode(ByteBuffer b, int off, int len) throws ProtocolException {
    int type = RtnlCodec.check(b, off, len, Rtnl.RTMSG_LEN, "RTM_NEWROUTE");
    if (type != Rtnl.RTM_NEWROUTE && type != Rtnl.RTM_DELROUTE) {
      throw new ProtocolException("not a route message: type " + type);
    }
    ByteBuffer n = b.duplicate().order(ByteOrder.nativeOrder());
    int h = off + Nl.NLMSG_HDRLEN;
    Family f;
    try {
      f = Family.ofNumber(n.get(h) & 0xff);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("route message of family " + (n.get(h) & 0xff) + " (not AF_INET/AF_INET6)");
    }
    int dstLen = n.get(h + 1) & 0xff;
    if (dstLen > f.bits()) {
      throw new ProtocolException("route with prefix length " + dstLen);
    }
    int size = f.bits() / 8;
    NlAttrs a = NlAttrs.parse(n, h + Rtnl.RTMSG_LEN, off + len, Rtnl.RTA_MAX_KNOWN);
    InetAddress dst = RtnlCodec.inet(a, Rtnl.RTA_DST, size, "RTA_DST");
    if (dst == null) {
      dst = Inet.of(new byte[size]);
    }
    int table = a.has(Rtnl.RTA_TABLE) ? a.u32(Rtnl.RTA_TABLE) : n.get(h + 4) & 0xff;
    return new RouteEntry(f, dst, dstLen, RtnlCodec.inet(a, Rtnl.RTA_GATEWAY, size, "RTA_GATEWAY"),
        a.u32(Rtnl.RTA_OIF, 0), RtnlCodec.inet(a, Rtnl.RTA_PREFSRC, size, "RTA_PREFSRC"),
        a.u32(Rtnl.RTA_PRIORITY, 0), table, n.get(h + 6) & 0xff, n.get(h + 5) & 0xff, n.get(h + 7) & 0xff);
  }
}

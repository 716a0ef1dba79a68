package io.lbkit.netlink.internal;

import static io.lbkit.netlink.internal.IpvsUapi.*;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the IPVS family's replies: services, destinations, info, timeouts and sync
 * daemons, each from one whole message (offset and length in a native-order buffer).
 * Unknown attributes are skipped; missing or short required ones, and values the
 * domain rejects, are {@link ProtocolException}s. STATS64 wins over STATS; the HASHED
 * flag is dropped. Pure code. Internal.
 */
public final class IpvsDecoder {
  private IpvsDecoder() {}

  private static final int HDR = Nl.NLMSG_HDRLEN + Nl.GENL_HDRLEN;

  private static NlAttrs top(ByteBuffer b, int off, int len) throws ProtocolException {
    if (len < HDR) {
      throw new ProtocolException("IPVS reply of " + len + " bytes is shorter than its headers");
    }
    return NlAttrs.parse(b, off + HDR, off + len, CMD_ATTR_MAX);
  }

  private static NlAttrs required(NlAttrs a, int type, int max, String what) throws ProtocolException {
    NlAttrs n = a.nested(type, max);
    if (n == null) {
      throw new ProtocolException("IPVS reply without its " + what + " attribute");
    }
    return n;
  }

  /** A service of a GET_SERVICE reply or dump, with its counters and no destinations. */
  public static ServiceSnapshot service(ByteBuffer b, int off, int len) throws ProtocolException {
    NlAttrs s = required(top(b, off, len), CMD_ATTR_SERVICE, SVC_MAX, "service");
    try {
      Family af = Family.ofNumber(s.u16(SVC_AF));
      ServiceKey key;
      int fwmark = s.u32(SVC_FWMARK, 0);
      if (fwmark != 0) {
        key = ServiceKey.fwmark(fwmark, af);
      } else {
        key = ServiceKey.of(Protocol.ofNumber(s.u16(SVC_PROTOCOL)), address(s.bytes(SVC_ADDR, 4), af),
            s.be16(SVC_PORT));
      }
      int flags = 0;
      if (s.has(SVC_FLAGS)) {
        flags = s.u32(SVC_FLAGS); // first field of struct ip_vs_flags
      }
      int netmask = 0;
      if (s.has(SVC_NETMASK)) {
        netmask = af == Family.INET ? be32(s, SVC_NETMASK) : s.u32(SVC_NETMASK);
      }
      String sched = s.string(SVC_SCHED_NAME);
      if (sched == null) {
        throw new ProtocolException("IPVS service " + key + " without a scheduler name");
      }
      IpvsService svc = IpvsService.fromKernel(key, sched, flags, s.u32(SVC_TIMEOUT, 0), netmask,
          s.string(SVC_PE_NAME));
      return new ServiceSnapshot(svc, stats(s, SVC_STATS64, SVC_STATS), List.of());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("IPVS service the domain rejects: " + e.getMessage());
    }
  }

  /**
   * A destination of a GET_DEST dump. A table read decodes one per destination, so this
   * walks the attributes straight from the buffer into locals (no attribute tables).
   *
   * @param serviceFamily the service's family, used when the kernel sends no ADDR_FAMILY
   */
  public static DestSnapshot dest(ByteBuffer b, int off, int len, Family serviceFamily) throws ProtocolException {
    if (len < HDR) {
      throw new ProtocolException("IPVS reply of " + len + " bytes is shorter than its headers");
    }
    b = native_(b);
    int at = NlAttrs.find(b, off + HDR, off + len, CMD_ATTR_DEST);
    if (at < 0) {
      throw new ProtocolException("IPVS reply without its destination attribute");
    }
    int end = at + NlAttrs.length(b, at, off + len);
    int addrAt = -1;
    int addrLen = 0;
    int af = -1;
    int port = -1;
    int fwd = -1;
    int weight = -1;
    int tunType = 0;
    int tunPort = 0;
    int tunFlags = 0;
    int upper = 0;
    int lower = 0;
    int active = 0;
    int inactive = 0;
    int persistent = 0;
    int stats = -1;
    int stats64 = -1;
    for (int p = at + Nl.NLA_HDRLEN, l; end - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(b, p, end);
      int t = NlAttrs.type(b, p);
      int v = p + Nl.NLA_HDRLEN;
      int n = l - Nl.NLA_HDRLEN;
      switch (t) {
        case DEST_ADDR -> {
          NlAttrs.need(t, n, 4);
          addrAt = v;
          addrLen = n;
        }
        case DEST_PORT -> port = be16(b, v, n, t);
        case DEST_FWD_METHOD -> fwd = u32(b, v, n, t);
        case DEST_WEIGHT -> weight = u32(b, v, n, t);
        case DEST_U_THRESH -> upper = u32(b, v, n, t);
        case DEST_L_THRESH -> lower = u32(b, v, n, t);
        case DEST_ACTIVE_CONNS -> active = u32(b, v, n, t);
        case DEST_INACT_CONNS -> inactive = u32(b, v, n, t);
        case DEST_PERSIST_CONNS -> persistent = u32(b, v, n, t);
        case DEST_STATS -> stats = p;
        case DEST_ADDR_FAMILY -> af = u16(b, v, n, t);
        case DEST_STATS64 -> stats64 = p;
        case DEST_TUN_TYPE -> {
          NlAttrs.need(t, n, 1);
          tunType = b.get(v) & 0xff;
        }
        case DEST_TUN_PORT -> tunPort = be16(b, v, n, t);
        case DEST_TUN_FLAGS -> tunFlags = u16(b, v, n, t);
        default -> { } // unknown: a newer kernel's attribute
      }
    }
    required(addrAt, DEST_ADDR);
    required(port, DEST_PORT);
    required(fwd, DEST_FWD_METHOD);
    required(weight, DEST_WEIGHT);
    try {
      Family family = af >= 0 ? Family.ofNumber(af) : serviceFamily;
      RealServerKey key = new RealServerKey(address(b, addrAt, addrLen, family), port);
      Forwarding f = (fwd & 0x7) != Forwarding.Method.TUNNEL.code() && (fwd & 0x7) < PLAIN.length
          && PLAIN[fwd & 0x7] != null ? PLAIN[fwd & 0x7] : Forwarding.ofKernel(fwd, tunType, tunPort, tunFlags);
      IpvsDest dest = new IpvsDest(key, f, weight, Integer.toUnsignedLong(upper), Integer.toUnsignedLong(lower));
      int st = stats64 >= 0 ? stats64 : stats;
      return new DestSnapshot(dest, Integer.toUnsignedLong(active), Integer.toUnsignedLong(inactive),
          Integer.toUnsignedLong(persistent), st < 0 ? IpvsStats.ZERO : stats(b, st, end));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("IPVS destination the domain rejects: " + e.getMessage());
    }
  }

  /** Forwarding values without tunnel settings, by method code (null where the code is unknown). */
  private static final Forwarding[] PLAIN = new Forwarding[8];

  static {
    for (Forwarding.Method m : Forwarding.Method.known()) {
      if (m != Forwarding.Method.TUNNEL && m.code() >= 0 && m.code() < PLAIN.length) {
        PLAIN[m.code()] = Forwarding.ofKernel(m.code(), 0, 0, 0);
      }
    }
  }

  private static void required(int value, int type) throws ProtocolException {
    if (value < 0) {
      throw new ProtocolException("netlink attribute " + type + " missing");
    }
  }

  private static int u32(ByteBuffer b, int v, int n, int type) throws ProtocolException {
    NlAttrs.need(type, n, 4);
    return b.getInt(v);
  }

  private static int u16(ByteBuffer b, int v, int n, int type) throws ProtocolException {
    NlAttrs.need(type, n, 2);
    return b.getShort(v) & 0xffff;
  }

  private static int be16(ByteBuffer b, int v, int n, int type) throws ProtocolException {
    NlAttrs.need(type, n, 2);
    return ((b.get(v) & 0xff) << 8) | (b.get(v + 1) & 0xff);
  }

  private static ByteBuffer native_(ByteBuffer b) {
    return b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
  }

  /** The GET_INFO reply. */
  public static IpvsInfo info(ByteBuffer b, int off, int len) throws ProtocolException {
    if (len < HDR) {
      throw new ProtocolException("IPVS info reply of " + len + " bytes");
    }
    NlAttrs a = NlAttrs.parse(b, off + HDR, off + len, INFO_CONN_TAB_SIZE);
    return new IpvsInfo(a.u32(INFO_VERSION), a.u32(INFO_CONN_TAB_SIZE));
  }

  /** The GET_CONFIG reply. */
  public static IpvsTimeouts timeouts(ByteBuffer b, int off, int len) throws ProtocolException {
    NlAttrs a = top(b, off, len);
    try {
      return new IpvsTimeouts(a.u32(CMD_ATTR_TIMEOUT_TCP, 0), a.u32(CMD_ATTR_TIMEOUT_TCP_FIN, 0),
          a.u32(CMD_ATTR_TIMEOUT_UDP, 0));
    } catch (IllegalArgumentException e) { // a u32 above 2^31-1 (found by NetlinkDecodeFuzzTest)
      throw new ProtocolException("IPVS timeouts the domain rejects: " + e.getMessage());
    }
  }

  /** A daemon of a GET_DAEMON dump. */
  public static SyncDaemon daemon(ByteBuffer b, int off, int len) throws ProtocolException {
    NlAttrs d = required(top(b, off, len), CMD_ATTR_DAEMON, DAEMON_MAX, "daemon");
    try {
      InetAddress group = null;
      if (d.has(DAEMON_MCAST_GROUP6)) {
        group = Inet.of(d.bytes(DAEMON_MCAST_GROUP6, 16));
      } else if (d.has(DAEMON_MCAST_GROUP)) {
        group = Inet.of(Arrays.copyOf(d.bytes(DAEMON_MCAST_GROUP, 4), 4));
      }
      String ifn = d.string(DAEMON_MCAST_IFN);
      return new SyncDaemon(SyncDaemon.Role.ofState(d.u32(DAEMON_STATE)), ifn, d.u32(DAEMON_SYNC_ID),
          d.has(DAEMON_SYNC_MAXLEN) ? d.u16(DAEMON_SYNC_MAXLEN) : 0, group,
          d.has(DAEMON_MCAST_PORT) ? d.u16(DAEMON_MCAST_PORT) : 0,
          d.has(DAEMON_MCAST_TTL) ? d.u8(DAEMON_MCAST_TTL) : 0);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("IPVS sync daemon the domain rejects: " + e.getMessage());
    }
  }

  /** The generic netlink command of a reply message. */
  public static int command(ByteBuffer b, int off) {
    return b.get(off + Nl.NLMSG_HDRLEN) & 0xff;
  }

  private static IpvsStats stats(NlAttrs a, int stats64, int stats32) throws ProtocolException {
    int t = a.has(stats64) ? stats64 : stats32;
    if (!a.has(t)) {
      return IpvsStats.ZERO;
    }
    int p = a.offset(t) - Nl.NLA_HDRLEN;
    return stats(a.buffer(), p, a.offset(t) + a.length(t));
  }

  /**
   * The counters of the STATS or STATS64 attribute at {@code at} (its header), walked
   * without allocating: u64 values where the kernel sent 8 bytes, u32 where 4.
   */
  private static IpvsStats stats(ByteBuffer b, int at, int to) throws ProtocolException {
    int end = at + NlAttrs.length(b, at, to);
    long conns = 0;
    long inPkts = 0;
    long outPkts = 0;
    long inBytes = 0;
    long outBytes = 0;
    long cps = 0;
    long inPps = 0;
    long outPps = 0;
    long inBps = 0;
    long outBps = 0;
    for (int p = at + Nl.NLA_HDRLEN, l; end - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(b, p, end);
      int n = l - Nl.NLA_HDRLEN;
      int at4 = p + Nl.NLA_HDRLEN;
      long v = n >= 8 ? b.getLong(at4) : n >= 4 ? Integer.toUnsignedLong(b.getInt(at4)) : 0;
      switch (NlAttrs.type(b, p)) {
        case STATS_CONNS -> conns = v;
        case STATS_CONNS + 1 -> inPkts = v;
        case STATS_CONNS + 2 -> outPkts = v;
        case STATS_CONNS + 3 -> inBytes = v;
        case STATS_CONNS + 4 -> outBytes = v;
        case STATS_CONNS + 5 -> cps = v;
        case STATS_CONNS + 6 -> inPps = v;
        case STATS_CONNS + 7 -> outPps = v;
        case STATS_CONNS + 8 -> inBps = v;
        case STATS_OUTBPS -> outBps = v;
        default -> { } // PAD and newer counters
      }
    }
    return new IpvsStats(conns, inPkts, outPkts, inBytes, outBytes, cps, inPps, outPps, inBps, outBps);
  }

  private static long unsigned(NlAttrs a, int type) throws ProtocolException {
    return Integer.toUnsignedLong(a.u32(type, 0));
  }

  private static int be32(NlAttrs a, int type) throws ProtocolException {
    byte[] m = a.bytes(type, 4);
    return ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
  }

  private static InetAddress address(ByteBuffer b, int at, int len, Family af) throws ProtocolException {
    int n = af == Family.INET ? 4 : 16;
    if (len < n) {
      throw new ProtocolException("IPVS address of " + len + " bytes for " + af);
    }
    byte[] raw = new byte[n];
    b.get(at, raw);
    return Inet.of(raw);
  }

  /** An address of a 16-byte union nf_inet_addr (or a bare 4/16-byte one) of family {@code af}. */
  static InetAddress address(byte[] raw, Family af) throws ProtocolException {
    int n = af == Family.INET ? 4 : 16;
    if (raw.length < n) {
      throw new ProtocolException("IPVS address of " + raw.length + " bytes for " + af);
    }
    return Inet.of(raw.length == n ? raw : Arrays.copyOf(raw, n));
  }
}

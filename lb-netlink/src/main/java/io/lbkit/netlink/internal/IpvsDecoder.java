package io.lbkit.netlink.internal;

import static io.lbkit.netlink.internal.IpvsUapi.*;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Inet;
import io.lbkit.api.IpvsDest;
import io.lbkit.api.IpvsInfo;
import io.lbkit.api.IpvsService;
import io.lbkit.api.IpvsStats;
import io.lbkit.api.IpvsTimeouts;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceSnapshot;
import io.lbkit.api.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.SyncDaemon;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
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
   * A destination of a GET_DEST dump.
   *
   * @param serviceFamily the service's family, used when the kernel sends no ADDR_FAMILY
   */
  public static DestSnapshot dest(ByteBuffer b, int off, int len, Family serviceFamily) throws ProtocolException {
    NlAttrs d = required(top(b, off, len), CMD_ATTR_DEST, DEST_MAX, "destination");
    try {
      Family af = d.has(DEST_ADDR_FAMILY) ? Family.ofNumber(d.u16(DEST_ADDR_FAMILY)) : serviceFamily;
      RealServerKey key = new RealServerKey(address(d.bytes(DEST_ADDR, 4), af), d.be16(DEST_PORT));
      Forwarding f = Forwarding.ofKernel(d.u32(DEST_FWD_METHOD), d.has(DEST_TUN_TYPE) ? d.u8(DEST_TUN_TYPE) : 0,
          d.has(DEST_TUN_PORT) ? d.be16(DEST_TUN_PORT) : 0, d.has(DEST_TUN_FLAGS) ? d.u16(DEST_TUN_FLAGS) : 0);
      IpvsDest dest = new IpvsDest(key, f, d.u32(DEST_WEIGHT), Integer.toUnsignedLong(d.u32(DEST_U_THRESH, 0)),
          Integer.toUnsignedLong(d.u32(DEST_L_THRESH, 0)));
      return new DestSnapshot(dest, unsigned(d, DEST_ACTIVE_CONNS), unsigned(d, DEST_INACT_CONNS),
          unsigned(d, DEST_PERSIST_CONNS), stats(d, DEST_STATS64, DEST_STATS));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("IPVS destination the domain rejects: " + e.getMessage());
    }
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
    return new IpvsTimeouts(a.u32(CMD_ATTR_TIMEOUT_TCP, 0), a.u32(CMD_ATTR_TIMEOUT_TCP_FIN, 0),
        a.u32(CMD_ATTR_TIMEOUT_UDP, 0));
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
    NlAttrs s = a.nested(stats64, STATS_PAD);
    if (s == null) {
      s = a.nested(stats32, STATS_PAD);
    }
    if (s == null) {
      return IpvsStats.ZERO;
    }
    long[] v = new long[STATS_OUTBPS + 1];
    for (int t = STATS_CONNS; t <= STATS_OUTBPS; t++) {
      int l = s.length(t);
      v[t] = l >= 8 ? s.u64(t) : l >= 4 ? Integer.toUnsignedLong(s.u32(t)) : 0;
    }
    return new IpvsStats(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
  }

  private static long unsigned(NlAttrs a, int type) throws ProtocolException {
    return Integer.toUnsignedLong(a.u32(type, 0));
  }

  private static int be32(NlAttrs a, int type) throws ProtocolException {
    byte[] m = a.bytes(type, 4);
    return ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
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

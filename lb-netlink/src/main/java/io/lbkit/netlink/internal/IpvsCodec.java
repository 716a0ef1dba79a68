package io.lbkit.netlink.internal;

import static io.lbkit.netlink.internal.IpvsUapi.*;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.SyncDaemon;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Encodes the requests of the IPVS generic netlink family ({@code include/uapi/linux/ip_vs.h})
 * into an {@link NlWriter}, one whole message per call, so a batch is a run of calls on
 * one writer. Ports are big-endian; addresses go out as the 16-byte
 * {@code union nf_inet_addr} as ipvsadm sends them; an IPv4 persistence netmask is four
 * network-order mask bytes while an IPv6 one is a host-order prefix length. Pure code.
 * Decoding is in {@link IpvsDecoder}. Internal.
 */
public final class IpvsCodec {
  /** Family name the controller knows. */
  public static final String FAMILY = "IPVS";
  /** IPVS_GENL_VERSION. */
  public static final int VERSION = 1;

  private final int familyId;

  /** A codec for the family id the controller gave. */
  public IpvsCodec(int familyId) {
    this.familyId = familyId;
  }

  /** The family id. */
  public int familyId() {
    return familyId;
  }

  private int begin(NlWriter w, int cmd, int flags) {
    int m = w.beginMessage(familyId, Nl.NLM_F_REQUEST | flags);
    w.genl(cmd, VERSION);
    return m;
  }

  /** IPVS_CMD_NEW_SERVICE with the full service. */
  public void newService(NlWriter w, IpvsService s) {
    serviceMessage(w, CMD_NEW_SERVICE, s);
  }

  /** IPVS_CMD_SET_SERVICE with the full service. */
  public void setService(NlWriter w, IpvsService s) {
    serviceMessage(w, CMD_SET_SERVICE, s);
  }

  private void serviceMessage(NlWriter w, int cmd, IpvsService s) {
    int m = begin(w, cmd, 0);
    int n = w.beginNested(CMD_ATTR_SERVICE);
    key(w, s.key());
    w.putString(SVC_SCHED_NAME, s.scheduler().name());
    if (s.persistenceEngine() != null) {
      w.putString(SVC_PE_NAME, s.persistenceEngine());
    }
    byte[] flags = new byte[8]; // struct ip_vs_flags { __u32 flags; __u32 mask; }, host order
    java.nio.ByteBuffer.wrap(flags).order(java.nio.ByteOrder.nativeOrder()).putInt(s.flags()).putInt(~0);
    w.putBytes(SVC_FLAGS, flags);
    w.putU32(SVC_TIMEOUT, s.timeout());
    if (s.key().family() == Family.INET) {
      w.putBe32(SVC_NETMASK, s.netmask());
    } else {
      w.putU32(SVC_NETMASK, s.netmask());
    }
    w.endNested(n);
    w.endMessage(m);
  }

  /** IPVS_CMD_DEL_SERVICE. */
  public void delService(NlWriter w, ServiceKey key) {
    keyOnly(w, CMD_DEL_SERVICE, key, 0);
  }

  /** IPVS_CMD_GET_SERVICE of one service. */
  public void getService(NlWriter w, ServiceKey key) {
    keyOnly(w, CMD_GET_SERVICE, key, 0);
  }

  /** IPVS_CMD_GET_SERVICE as a dump of all services. */
  public void dumpServices(NlWriter w) {
    w.endMessage(begin(w, CMD_GET_SERVICE, Nl.NLM_F_DUMP));
  }

  /** IPVS_CMD_ZERO of one service, or of all when {@code key} is null. */
  public void zero(NlWriter w, ServiceKey key) {
    if (key == null) {
      w.endMessage(begin(w, CMD_ZERO, 0));
    } else {
      keyOnly(w, CMD_ZERO, key, 0);
    }
  }

  /** IPVS_CMD_FLUSH. */
  public void flush(NlWriter w) {
    w.endMessage(begin(w, CMD_FLUSH, 0));
  }

  /** IPVS_CMD_GET_INFO. */
  public void getInfo(NlWriter w) {
    w.endMessage(begin(w, CMD_GET_INFO, 0));
  }

  /** IPVS_CMD_GET_CONFIG (timeouts). */
  public void getConfig(NlWriter w) {
    w.endMessage(begin(w, CMD_GET_CONFIG, 0));
  }

  /** IPVS_CMD_SET_CONFIG; a 0 timeout leaves that one unchanged (the kernel skips zeros). */
  public void setConfig(NlWriter w, IpvsTimeouts t) {
    int m = begin(w, CMD_SET_CONFIG, 0);
    w.putU32(CMD_ATTR_TIMEOUT_TCP, t.tcp()).putU32(CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin())
        .putU32(CMD_ATTR_TIMEOUT_UDP, t.udp());
    w.endMessage(m);
  }

  /** IPVS_CMD_NEW_DEST with the full destination. */
  public void newDest(NlWriter w, ServiceKey svc, IpvsDest d) {
    destMessage(w, CMD_NEW_DEST, svc, d);
  }

  /** IPVS_CMD_SET_DEST with the full destination. */
  public void setDest(NlWriter w, ServiceKey svc, IpvsDest d) {
    destMessage(w, CMD_SET_DEST, svc, d);
  }

  private void destMessage(NlWriter w, int cmd, ServiceKey svc, IpvsDest d) {
    int m = begin(w, cmd, 0);
    int s = w.beginNested(CMD_ATTR_SERVICE);
    key(w, svc);
    w.endNested(s);
    int n = w.beginNested(CMD_ATTR_DEST);
    destKey(w, d.key());
    Forwarding f = d.forwarding();
    w.putU32(DEST_FWD_METHOD, f.method().code()).putU32(DEST_WEIGHT, d.weight())
        .putU32(DEST_U_THRESH, (int) d.upperThreshold()).putU32(DEST_L_THRESH, (int) d.lowerThreshold());
    if (f.method() == Forwarding.Method.TUNNEL) {
      w.putU8(DEST_TUN_TYPE, f.tunnelType().code()).putBe16(DEST_TUN_PORT, f.tunnelPort())
          .putU16(DEST_TUN_FLAGS, f.csum().code());
    }
    w.endNested(n);
    w.endMessage(m);
  }

  /** IPVS_CMD_DEL_DEST. */
  public void delDest(NlWriter w, ServiceKey svc, RealServerKey dest) {
    int m = begin(w, CMD_DEL_DEST, 0);
    int s = w.beginNested(CMD_ATTR_SERVICE);
    key(w, svc);
    w.endNested(s);
    int n = w.beginNested(CMD_ATTR_DEST);
    destKey(w, dest);
    w.endNested(n);
    w.endMessage(m);
  }

  /** IPVS_CMD_GET_DEST: a dump of one service's destinations. */
  public void dumpDests(NlWriter w, ServiceKey svc) {
    keyOnly(w, CMD_GET_DEST, svc, Nl.NLM_F_DUMP);
  }

  /** IPVS_CMD_NEW_DAEMON. */
  public void newDaemon(NlWriter w, SyncDaemon d) {
    int m = begin(w, CMD_NEW_DAEMON, 0);
    int n = w.beginNested(CMD_ATTR_DAEMON);
    w.putU32(DAEMON_STATE, d.role().state()).putString(DAEMON_MCAST_IFN, d.interfaceName())
        .putU32(DAEMON_SYNC_ID, d.syncId());
    if (d.maxPacketLength() != 0) {
      w.putU16(DAEMON_SYNC_MAXLEN, d.maxPacketLength());
    }
    if (d.group() != null) {
      w.putBytes(d.group() instanceof Inet4Address ? DAEMON_MCAST_GROUP : DAEMON_MCAST_GROUP6,
          d.group().getAddress());
    }
    if (d.port() != 0) {
      w.putU16(DAEMON_MCAST_PORT, d.port());
    }
    if (d.ttl() != 0) {
      w.putU8(DAEMON_MCAST_TTL, d.ttl());
    }
    w.endNested(n);
    w.endMessage(m);
  }

  /** IPVS_CMD_DEL_DAEMON of one role. */
  public void delDaemon(NlWriter w, SyncDaemon.Role role) {
    int m = begin(w, CMD_DEL_DAEMON, 0);
    int n = w.beginNested(CMD_ATTR_DAEMON);
    w.putU32(DAEMON_STATE, role.state());
    w.endNested(n);
    w.endMessage(m);
  }

  /** IPVS_CMD_GET_DAEMON (a dump). */
  public void dumpDaemons(NlWriter w) {
    w.endMessage(begin(w, CMD_GET_DAEMON, Nl.NLM_F_DUMP));
  }

  /** The message of one change of a batch. */
  public void op(NlWriter w, IpvsOp op) {
    if (op instanceof IpvsOp.AddService a) {
      newService(w, a.service());
    } else if (op instanceof IpvsOp.UpdateService u) {
      setService(w, u.service());
    } else if (op instanceof IpvsOp.DeleteService d) {
      delService(w, d.key());
    } else if (op instanceof IpvsOp.AddDest a) {
      newDest(w, a.key(), a.dest());
    } else if (op instanceof IpvsOp.UpdateDest u) {
      setDest(w, u.key(), u.dest());
    } else if (op instanceof IpvsOp.DeleteDest d) {
      delDest(w, d.key(), d.dest());
    } else {
      throw new IllegalArgumentException("unknown IPVS change: " + op);
    }
  }

  private void keyOnly(NlWriter w, int cmd, ServiceKey key, int flags) {
    int m = begin(w, cmd, flags);
    int n = w.beginNested(CMD_ATTR_SERVICE);
    key(w, key);
    w.endNested(n);
    w.endMessage(m);
  }

  private static void key(NlWriter w, ServiceKey key) {
    w.putU16(SVC_AF, key.family().number());
    if (key instanceof ServiceKey.Fwmark f) {
      w.putU32(SVC_FWMARK, f.mark());
    } else {
      ServiceKey.Inet k = (ServiceKey.Inet) key;
      w.putU16(SVC_PROTOCOL, k.protocol().number());
      w.putBytes(SVC_ADDR, addr16(k.address()));
      w.putBe16(SVC_PORT, k.port());
    }
  }

  private static void destKey(NlWriter w, RealServerKey k) {
    w.putBytes(DEST_ADDR, addr16(k.address())).putBe16(DEST_PORT, k.port())
        .putU16(DEST_ADDR_FAMILY, Family.of(k.address()).number());
  }

  /** The address as a 16-byte union nf_inet_addr (IPv4 in the first four bytes). */
  static byte[] addr16(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16) {
      return b;
    }
    byte[] u = new byte[16];
    System.arraycopy(b, 0, u, 0, b.length);
    return u;
  }
}

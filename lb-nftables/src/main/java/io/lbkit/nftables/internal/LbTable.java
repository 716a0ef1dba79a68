package io.lbkit.nftables.internal;

import io.lbkit.api.Family;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of lbkit's table {@code inet lbkit} (see the package documentation of
 * {@code io.lbkit.nftables} for it as {@code nft list table} text): object names, how
 * service and real-server keys become set-element bytes, and the messages that create the
 * fixed part (the skeleton) and one service. Pure code. Internal.
 */
public final class LbTable {
  private LbTable() {}

  /** The table's name; lbkit touches no other table. */
  public static final String TABLE = "lbkit";
  /** The table's family: {@code inet}, one table for IPv4 and IPv6. */
  public static final int FAMILY = Nft.NFPROTO_INET;
  /** The base chains, in the order the skeleton creates them. */
  public static final List<String> BASE_CHAINS = List.of("prerouting", "output");

  /** The verdict map from VIP . protocol . port to the service's chain. */
  public static String servicesMap(Family f) {
    return f == Family.INET ? "services4" : "services6";
  }

  /** The map from VIP . protocol . port . real server . port to the weight (every real server). */
  public static String destsMap(Family f) {
    return f == Family.INET ? "dests4" : "dests6";
  }

  /** {@code tcp_192.0.2.1_80}, {@code udp_2001-db8--1_53}: a service's part of its object names. */
  public static String id(ServiceKey.Inet k) {
    return k.protocol().name().toLowerCase(java.util.Locale.ROOT) + "_" + Inet.format(k.address()).replace(':', '-')
        + "_" + k.port();
  }

  /** The service's chain. */
  public static String chain(ServiceKey.Inet k) {
    return "svc_" + id(k);
  }

  /** The service's slots map (numgen value to real server). */
  public static String slotsMap(ServiceKey.Inet k) {
    return "slots_" + id(k);
  }

  static int addrLen(Family f) {
    return f == Family.INET ? 4 : 16;
  }

  /** The services-map key: address, protocol and port, each padded to 4 bytes. */
  public static byte[] serviceKey(ServiceKey.Inet k) {
    int a = addrLen(k.family());
    ByteBuffer b = ByteBuffer.allocate(a + 8);
    b.put(k.address().getAddress()).put((byte) k.protocol().number()).put(new byte[3]);
    b.putShort((short) k.port()).put(new byte[2]);
    return b.array();
  }

  /** The dests-map key: the service key, then the real server's address and port. */
  public static byte[] destKey(ServiceKey.Inet k, RealServerKey r) {
    byte[] s = serviceKey(k);
    return ByteBuffer.allocate(s.length + addrLen(k.family()) + 4).put(s).put(addrPort(r)).array();
  }

  /** A slots-map value: the real server's address and port (port padded to 4 bytes). */
  public static byte[] addrPort(RealServerKey r) {
    byte[] a = r.address().getAddress();
    return ByteBuffer.allocate(a.length + 4).put(a).putShort((short) r.port()).put(new byte[2]).array();
  }

  /** A u32 in host order (numgen values, weights: the kernel's register bytes). */
  public static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  /** Creates the table, its base chains with their lookups, and the four maps (idempotent but for the rules). */
  public static void skeleton(NlWriter w) {
    NftCodec.newTable(w, FAMILY, TABLE);
    NftCodec.newBaseChain(w, FAMILY, TABLE, "prerouting", "nat", Nft.HOOK_PREROUTING, Nft.PRIO_DSTNAT);
    NftCodec.newBaseChain(w, FAMILY, TABLE, "output", "nat", Nft.HOOK_OUTPUT, Nft.PRIO_DSTNAT);
    int t = Nft.TYPE_INET_PROTO;
    int s = Nft.TYPE_INET_SERVICE;
    NftCodec.newMap(w, FAMILY, TABLE, "services4", Nft.concat(Nft.TYPE_IPADDR, t, s), 12, Nft.DATA_VERDICT_TYPE, 0,
        1, Udata.VERDICT_MAP);
    NftCodec.newMap(w, FAMILY, TABLE, "services6", Nft.concat(Nft.TYPE_IP6ADDR, t, s), 24, Nft.DATA_VERDICT_TYPE, 0,
        2, Udata.VERDICT_MAP);
    NftCodec.newMap(w, FAMILY, TABLE, "dests4", Nft.concat(Nft.TYPE_IPADDR, t, s, Nft.TYPE_IPADDR, s), 20,
        Nft.TYPE_MARK, 4, 3, Udata.MARK_MAP);
    NftCodec.newMap(w, FAMILY, TABLE, "dests6", Nft.concat(Nft.TYPE_IP6ADDR, t, s, Nft.TYPE_IP6ADDR, s), 44,
        Nft.TYPE_MARK, 4, 4, Udata.MARK_MAP);
    for (String chain : BASE_CHAINS) {
      NftCodec.flushChain(w, FAMILY, TABLE, chain);
      NftCodec.newRule(w, FAMILY, TABLE, chain, x -> dispatch(x, Family.INET, 1), null);
      NftCodec.newRule(w, FAMILY, TABLE, chain, x -> dispatch(x, Family.INET6, 2), null);
    }
    LbStats.skeleton(w);
  }

  /** {@code ip daddr . meta l4proto . th dport vmap @services4} (or ip6, services6). */
  static void dispatch(NlWriter w, Family f, int setId) {
    boolean v4 = f == Family.INET;
    NftExpr.meta(w, Nft.META_NFPROTO, Nft.REG_1);
    NftExpr.cmpEq(w, Nft.REG_1, new byte[] {(byte) (v4 ? Nft.NFPROTO_IPV4 : Nft.NFPROTO_IPV6)});
    NftExpr.payload(w, Nft.REG_1, Nft.PAYLOAD_NETWORK, v4 ? 16 : 24, v4 ? 4 : 16);
    NftExpr.meta(w, Nft.META_L4PROTO, v4 ? Nft.REG32_01 : Nft.REG_2);
    NftExpr.payload(w, v4 ? Nft.REG32_02 : 13, Nft.PAYLOAD_TRANSPORT, 2, 2);
    NftExpr.lookup(w, Nft.REG_1, Nft.REG_VERDICT, servicesMap(f), setId);
  }

  /**
   * The jhash seed of sh and dh: fixed, so that every director (and a restarted one) sends a
   * client (sh) or destination (dh) to the same slot.
   */
  public static final int HASH_SEED = 0x6c626b74; // "lbkt"

  /** True for the schedulers whose rule hashes an address (sh, dh, mh) instead of numgen. */
  public static boolean isHash(String scheduler) {
    return scheduler.equals("sh") || scheduler.equals("dh") || scheduler.equals("mh");
  }

  /** The rule's comment: the scheduler, then its flags if any ({@code mh mh-fallback,mh-port}). */
  public static String comment(String scheduler, java.util.Set<io.lbkit.api.SchedulerFlag> flags) {
    return flags.isEmpty() ? scheduler : scheduler + " " + io.lbkit.api.ipvs.IpvsRules.flagLabels(flags);
  }

  /** True when the rule hashes the source port too (mh with mh-port). */
  static boolean hashesPort(String scheduler, java.util.Set<io.lbkit.api.SchedulerFlag> flags) {
    return scheduler.equals("mh") && flags.contains(io.lbkit.api.SchedulerFlag.MH_PORT);
  }

  /**
   * The service's rule: {@code meta l4proto P dnat ip to numgen inc|random mod N map @slots_*}
   * (sh: {@code jhash ip saddr mod N seed S}, dh: {@code jhash ip daddr ...}) commented with
   * the scheduler's name, or {@code reject} when no real server takes new connections
   * (N = 0), as IPVS answers then.
   */
  public static void rule(NlWriter w, ServiceKey.Inet k, String scheduler, int slots, int setId) {
    rule(w, k, scheduler, java.util.Set.of(), slots, setId);
  }

  /**
   * As {@link #rule(NlWriter, ServiceKey.Inet, String, int, int)}, with scheduler flags: mh
   * hashes the client address (sh's {@code jhash ip saddr}) into its {@value Maglev#TABLE_SIZE}
   * slots, and with {@code mh-port} the client address and port ({@code jhash ip saddr . th
   * sport}).
   */
  public static void rule(NlWriter w, ServiceKey.Inet k, String scheduler,
      java.util.Set<io.lbkit.api.SchedulerFlag> flags, int slots, int setId) {
    boolean v4 = k.family() == Family.INET;
    NftCodec.newRule(w, FAMILY, TABLE, chain(k), x -> {
      if (slots == 0) {
        NftExpr.reject(x);
        return;
      }
      NftExpr.meta(x, Nft.META_L4PROTO, Nft.REG_1);
      NftExpr.cmpEq(x, Nft.REG_1, new byte[] {(byte) k.protocol().number()});
      if (isHash(scheduler)) { // sh: jhash ip saddr, dh: jhash ip daddr (ip6 likewise)
        boolean source = !scheduler.equals("dh");
        boolean port = hashesPort(scheduler, flags);
        // the family check is nft's dependency for "ip saddr" in an inet chain (only services4 reaches here)
        NftExpr.meta(x, Nft.META_NFPROTO, Nft.REG_1);
        NftExpr.cmpEq(x, Nft.REG_1, new byte[] {(byte) (v4 ? Nft.NFPROTO_IPV4 : Nft.NFPROTO_IPV6)});
        NftExpr.payload(x, Nft.REG_1, Nft.PAYLOAD_NETWORK, v4 ? (source ? 12 : 16) : (source ? 8 : 24), v4 ? 4 : 16);
        if (port) { // the source port into the 32 bits after the address, zero-padded (nft's concatenation)
          NftExpr.payload(x, v4 ? Nft.REG32_01 : Nft.REG_2, Nft.PAYLOAD_TRANSPORT, 0, 2);
        }
        NftExpr.jhash(x, Nft.REG_1, Nft.REG_1, (v4 ? 4 : 16) + (port ? 4 : 0), slots, HASH_SEED);
      } else {
        NftExpr.numgen(x, Nft.REG_1, slots, scheduler.equals("random") ? Nft.NG_RANDOM : Nft.NG_INC);
      }
      NftExpr.lookup(x, Nft.REG_1, Nft.REG_1, slotsMap(k), setId);
      NftExpr.dnat(x, v4 ? Nft.NFPROTO_IPV4 : Nft.NFPROTO_IPV6, Nft.REG_1, v4 ? Nft.REG32_01 : Nft.REG_2);
    }, comment(scheduler, flags));
  }

  /** The service's slots map, empty. */
  public static void newSlotsMap(NlWriter w, ServiceKey.Inet k, int setId) {
    Family f = k.family();
    NftCodec.newMap(w, FAMILY, TABLE, slotsMap(k), Nft.TYPE_INTEGER, 4,
        Nft.concat(f == Family.INET ? Nft.TYPE_IPADDR : Nft.TYPE_IP6ADDR, Nft.TYPE_INET_SERVICE), addrLen(f) + 4,
        setId, Udata.slots(f == Family.INET6, k.protocol().number()));
  }

  /** The elements of a slots map: slot i to the real server at i. */
  public static List<Elem> slotElems(List<RealServerKey> slots) {
    List<Elem> out = new ArrayList<>(slots.size());
    for (int i = 0; i < slots.size(); i++) {
      out.add(Elem.of(u32(i), addrPort(slots.get(i))));
    }
    return out;
  }
}

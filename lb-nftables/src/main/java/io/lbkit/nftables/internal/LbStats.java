package io.lbkit.nftables.internal;

import io.lbkit.api.Family;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The counters of lbkit's table: per real server of each service, packets and bytes in each
 * direction, as IPVS counts them for NAT ({@code InPkts}: client to real server,
 * {@code OutPkts}: real server to client). Two sets, {@code stats4} and {@code stats6}, hold
 * per-element counters ({@code counter} on the set: each element gets its own), keyed by the
 * VIP, the protocol, the real server, its port and the conntrack direction. Two filter
 * chains, {@code stats_prerouting} and {@code stats_output} (priority filter, after dstnat),
 * look every packet of a tracked connection up, by header fields that name the real server
 * (after DNAT in the original direction, before the reply is un-NATed in the other) and the
 * VIP from the connection's original tuple:
 * <pre>
 * ct direction original ct original ip daddr . meta l4proto . ip daddr . th dport . ct direction @stats4
 * ct direction reply ct original ip daddr . meta l4proto . ip saddr . th sport . ct direction @stats4
 * </pre>
 * (replies to the director's own connections enter by prerouting, its requests leave by
 * output). A packet of no lbkit connection misses the lookup and is not counted.
 *
 * <p>The key has no VIP port: nft 1.0.6 cannot parse {@code ct original proto-dst} in a
 * concatenation, and {@code nft list} aborts on a rule that has one, so lbkit keeps to what
 * nft reads and writes. The cost: services of one VIP and protocol (on different ports) that
 * share a real server address and port share its counters. {@link StatsWriter} keeps one
 * element per such real server while any of those services has it. Pure code. Internal.
 */
public final class LbStats {
  private LbStats() {}

  /** The base chains that count. */
  public static final List<String> CHAINS = List.of("stats_prerouting", "stats_output");
  /** NFTA_SET_EXPR. */
  static final int SET_EXPR = 17;
  /** NFTA_SET_ELEM_EXPR. */
  static final int ELEM_EXPR = 7;
  /** NFTA_SET_ELEM_EXPRESSIONS. */
  static final int ELEM_EXPRESSIONS = 11;
  /** nft's TYPE_CT_DIR. */
  static final int TYPE_CT_DIR = 27;
  /** NFT_CT_DIRECTION, NFT_CT_DST_IP, NFT_CT_DST_IP6. */
  static final int CT_DIRECTION = 1;
  static final int CT_DST_IP = 20;
  static final int CT_DST_IP6 = 22;
  /** IP_CT_DIR_ORIGINAL and IP_CT_DIR_REPLY. */
  public static final int ORIGINAL = 0;
  /** IP_CT_DIR_REPLY. */
  public static final int REPLY = 1;

  /** The counters set of a family. */
  public static String set(Family f) {
    return f == Family.INET ? "stats4" : "stats6";
  }

  /** nft 1.0.6's userdata of both sets (key byte order and the like), kept verbatim. */
  private static final byte[] SET_UDATA = java.util.HexFormat.of().parseHex("000400000000030800040d0000000100");

  /** Creates the two sets, the two chains and their rules, the sets with ids 5 and 6 of the batch. */
  public static void skeleton(NlWriter w) {
    sets(w, 5);
    chains(w, 5, true);
  }

  /** The two sets, with ids {@code id} and {@code id + 1} in the batch. */
  static void sets(NlWriter w, int id) {
    int t = Nft.TYPE_INET_PROTO;
    int s = Nft.TYPE_INET_SERVICE;
    newSet(w, "stats4", Nft.concat(Nft.TYPE_IPADDR, t, Nft.TYPE_IPADDR, s, TYPE_CT_DIR), 20, id);
    newSet(w, "stats6", Nft.concat(Nft.TYPE_IP6ADDR, t, Nft.TYPE_IP6ADDR, s, TYPE_CT_DIR), 44, id + 1);
  }

  /** The two chains and their rules ({@code flush}: emptied first, so that a repair rewrites them). */
  static void chains(NlWriter w, int id, boolean flush) {
    for (String chain : CHAINS) {
      NftCodec.newBaseChain(w, LbTable.FAMILY, LbTable.TABLE, chain, "filter",
          chain.equals("stats_output") ? Nft.HOOK_OUTPUT : Nft.HOOK_PREROUTING, 0);
      if (flush) {
        NftCodec.flushChain(w, LbTable.FAMILY, LbTable.TABLE, chain);
      }
    }
    for (String chain : CHAINS) {
      rules(w, chain, id);
    }
  }

  /** The four counting rules of a chain. */
  static void rules(NlWriter w, String chain, int id) {
    for (Family f : Family.values()) {
      for (int dir : new int[] {ORIGINAL, REPLY}) {
        NftCodec.newRule(w, LbTable.FAMILY, LbTable.TABLE, chain, x -> count(x, f, dir, f == Family.INET ? id : id + 1),
            null);
      }
    }
  }

  /** What {@link NftDecoder#rule} summarises the counting rules of a chain as, in order. */
  public static List<String> summaries() {
    List<String> out = new ArrayList<>();
    for (Family f : Family.values()) {
      for (int i = 0; i < 2; i++) {
        out.add("ct cmp meta cmp ct meta payload payload ct lookup:" + set(f));
      }
    }
    return out;
  }

  private static void newSet(NlWriter w, String name, int keyType, int keyLen, int setId) {
    int m = w.beginMessage(Nft.type(Nft.NEWSET), io.lbkit.netlink.internal.Nl.NLM_F_REQUEST
        | io.lbkit.netlink.internal.Nl.NLM_F_CREATE);
    w.putRaw(new byte[] {(byte) LbTable.FAMILY, 0, 0, 0});
    w.putString(Nft.SET_TABLE, LbTable.TABLE);
    w.putString(Nft.SET_NAME, name);
    w.putBe32(Nft.SET_FLAGS, 0);
    w.putBe32(Nft.SET_KEY_TYPE, keyType);
    w.putBe32(Nft.SET_KEY_LEN, keyLen);
    w.putBe32(Nft.SET_ID, setId);
    w.putBytes(Nft.SET_USERDATA, SET_UDATA);
    int e = w.beginNested(SET_EXPR);
    w.putString(Nft.EXPR_NAME, "counter");
    w.endNested(w.beginNested(Nft.EXPR_DATA));
    w.endNested(e);
    w.endMessage(m);
  }

  /**
   * One counting rule, as nft 1.0.6 writes it: {@code ct direction DIR ct original ip daddr .
   * meta l4proto . ip daddr . th dport . ct direction @stats4} (reply: {@code ip saddr . th
   * sport}; ip6 likewise).
   */
  static void count(NlWriter w, Family f, int dir, int setId) {
    boolean v4 = f == Family.INET;
    ct(w, CT_DIRECTION, -1, Nft.REG_1);
    NftExpr.cmpEq(w, Nft.REG_1, new byte[] {(byte) dir});
    NftExpr.meta(w, Nft.META_NFPROTO, Nft.REG_1);
    NftExpr.cmpEq(w, Nft.REG_1, new byte[] {(byte) (v4 ? Nft.NFPROTO_IPV4 : Nft.NFPROTO_IPV6)});
    int a = v4 ? 1 : 4; // 32-bit registers an address takes
    int r = 8; // NFT_REG32_00, the first quarter of NFT_REG_1
    ct(w, v4 ? CT_DST_IP : CT_DST_IP6, ORIGINAL, reg(r));
    NftExpr.meta(w, Nft.META_L4PROTO, reg(r + a));
    boolean in = dir == ORIGINAL; // original: the real server is the destination now; reply: the source
    NftExpr.payload(w, reg(r + a + 1), Nft.PAYLOAD_NETWORK, v4 ? (in ? 16 : 12) : (in ? 24 : 8), v4 ? 4 : 16);
    NftExpr.payload(w, reg(r + 2 * a + 1), Nft.PAYLOAD_TRANSPORT, in ? 2 : 0, 2);
    ct(w, CT_DIRECTION, -1, reg(r + 2 * a + 2));
    int e = w.beginNested(Nft.LIST_ELEM); // lookup reg 1 set stats4: a set lookup, no dreg
    w.putString(Nft.EXPR_NAME, "lookup");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(2, Nft.REG_1); // NFTA_LOOKUP_SREG
    w.putString(1, set(f)); // NFTA_LOOKUP_SET
    w.putBe32(4, setId); // NFTA_LOOKUP_SET_ID
    w.endNested(d);
    w.endNested(e);
  }

  /** A 32-bit register index as nft writes it: NFT_REG_N where it starts a 16-byte register. */
  private static int reg(int reg32) {
    return (reg32 - 8) % 4 == 0 ? (reg32 - 8) / 4 + 1 : reg32;
  }

  /** {@code ct [original|reply] KEY => reg DREG}; {@code dir} -1: no direction. */
  private static void ct(NlWriter w, int key, int dir, int dreg) {
    int e = w.beginNested(Nft.LIST_ELEM);
    w.putString(Nft.EXPR_NAME, "ct");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(2, key); // NFTA_CT_KEY
    w.putBe32(1, dreg); // NFTA_CT_DREG
    if (dir >= 0) {
      w.putU8(3, dir); // NFTA_CT_DIRECTION
    }
    w.endNested(d);
    w.endNested(e);
  }

  /** A stats key: VIP, protocol (padded), real server, its port (padded), direction (padded). */
  public static byte[] key(ServiceKey.Inet k, RealServerKey r, int dir) {
    byte[] vip = k.address().getAddress();
    byte[] rs = LbTable.addrPort(r);
    return ByteBuffer.allocate(vip.length + 4 + rs.length + 4).put(vip).put((byte) k.protocol().number())
        .put(new byte[3]).put(rs).put((byte) dir).array();
  }

  /** Adds both directions' counters of these real servers (0 messages when none). */
  public static int add(NlWriter w, ServiceKey.Inet k, Collection<RealServerKey> servers) {
    if (servers.isEmpty()) {
      return 0;
    }
    return NftCodec.newElems(w, LbTable.FAMILY, LbTable.TABLE, set(k.family()), 0, elems(k, servers));
  }

  /** Deletes both directions' counters of these real servers (0 messages when none). */
  public static int delete(NlWriter w, ServiceKey.Inet k, Collection<RealServerKey> servers) {
    if (servers.isEmpty()) {
      return 0;
    }
    return NftCodec.delElems(w, LbTable.FAMILY, LbTable.TABLE, set(k.family()), elems(k, servers));
  }

  private static List<Elem> elems(ServiceKey.Inet k, Collection<RealServerKey> servers) {
    List<Elem> out = new ArrayList<>(servers.size() * 2);
    for (RealServerKey r : servers) {
      out.add(Elem.key(key(k, r, ORIGINAL)));
      out.add(Elem.key(key(k, r, REPLY)));
    }
    return out;
  }
}

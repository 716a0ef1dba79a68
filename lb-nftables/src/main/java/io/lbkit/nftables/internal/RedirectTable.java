package io.lbkit.nftables.internal;

import io.lbkit.api.Family;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-server side's table {@code inet lbkit_rs} (the seed's REDIRECT method): two sets
 * of VIPs and a nat prerouting chain that redirects their packets to this host, in nft
 * 1.0.6's bytes (checked against {@code golden/rs.hex}):
 * <pre>
 * table inet lbkit_rs {
 *   set vips4 { type ipv4_addr; }
 *   set vips6 { type ipv6_addr; }
 *   chain prerouting {
 *     type nat hook prerouting priority dstnat; policy accept;
 *     ip daddr @vips4 redirect
 *     ip6 daddr @vips6 redirect
 *   }
 * }
 * </pre>
 * Pure code. Internal.
 */
public final class RedirectTable {
  private RedirectTable() {}

  /** The table's name (family inet). */
  public static final String TABLE = "lbkit_rs";
  /** Its base chain. */
  public static final String CHAIN = "prerouting";
  /** nft's userdata of a set of addresses: key byte order big-endian. */
  private static final byte[] ADDR_SET_UDATA = {0, 4, 2, 0, 0, 0};

  /** The set of the family's VIPs. */
  public static String set(Family f) {
    return f == Family.INET ? "vips4" : "vips6";
  }

  /** The table, its two sets, its chain and its two rules. */
  public static void create(NlWriter w) {
    int f = Nft.NFPROTO_INET;
    NftCodec.newTable(w, f, TABLE);
    NftCodec.newBaseChain(w, f, TABLE, CHAIN, "nat", Nft.HOOK_PREROUTING, Nft.PRIO_DSTNAT);
    newSet(w, "vips4", Nft.TYPE_IPADDR, 4, 1);
    newSet(w, "vips6", Nft.TYPE_IP6ADDR, 16, 2);
    rule(w, Family.INET, 1);
    rule(w, Family.INET6, 2);
  }

  /** NFT_MSG_NEWSET of a plain set (no data). */
  static void newSet(NlWriter w, String name, int keyType, int keyLen, int setId) {
    int m = w.beginMessage(Nft.type(Nft.NEWSET), Nl.NLM_F_REQUEST | Nl.NLM_F_CREATE);
    w.putRaw(new byte[] {(byte) Nft.NFPROTO_INET, 0, 0, 0});
    w.putString(Nft.SET_TABLE, TABLE);
    w.putString(Nft.SET_NAME, name);
    w.putBe32(Nft.SET_FLAGS, 0);
    w.putBe32(Nft.SET_KEY_TYPE, keyType);
    w.putBe32(Nft.SET_KEY_LEN, keyLen);
    w.putBe32(Nft.SET_ID, setId);
    w.putBytes(Nft.SET_USERDATA, ADDR_SET_UDATA);
    w.endMessage(m);
  }

  /** {@code ip daddr @vips4 redirect} (ip6, vips6). */
  static void rule(NlWriter w, Family f, int setId) {
    boolean v4 = f == Family.INET;
    NftCodec.newRule(w, Nft.NFPROTO_INET, TABLE, CHAIN, x -> {
      NftExpr.meta(x, Nft.META_NFPROTO, Nft.REG_1);
      NftExpr.cmpEq(x, Nft.REG_1, new byte[] {(byte) (v4 ? Nft.NFPROTO_IPV4 : Nft.NFPROTO_IPV6)});
      NftExpr.payload(x, Nft.REG_1, Nft.PAYLOAD_NETWORK, v4 ? 16 : 24, v4 ? 4 : 16);
      int e = x.beginNested(Nft.LIST_ELEM);
      x.putString(Nft.EXPR_NAME, "lookup");
      int d = x.beginNested(Nft.EXPR_DATA);
      x.putBe32(2, Nft.REG_1); // NFTA_LOOKUP_SREG
      x.putString(1, set(f)); // NFTA_LOOKUP_SET
      x.putBe32(4, setId); // NFTA_LOOKUP_SET_ID
      x.endNested(d);
      x.endNested(e);
      int r = x.beginNested(Nft.LIST_ELEM);
      x.putString(Nft.EXPR_NAME, "redir");
      x.endNested(x.beginNested(Nft.EXPR_DATA));
      x.endNested(r);
    }, null);
  }

  /** The elements for these addresses (all of one family). */
  public static List<Elem> elems(List<InetAddress> vips) {
    List<Elem> out = new ArrayList<>();
    vips.forEach(v -> out.add(Elem.key(v.getAddress())));
    return out;
  }
}

package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.NlWriter;

/**
 * The nf_tables expressions lbkit's rules use, each written as one NFTA_LIST_ELEM of a
 * rule's NFTA_RULE_EXPRESSIONS, in nft 1.0.6's attribute order. Pure code. Internal.
 */
public final class NftExpr {
  private NftExpr() {}

  private static int begin(NlWriter w, String name) {
    int e = w.beginNested(Nft.LIST_ELEM);
    w.putString(Nft.EXPR_NAME, name);
    return e;
  }

  private static void end(NlWriter w, int e, int d) {
    w.endNested(d);
    w.endNested(e);
  }

  /** {@code meta load KEY => reg DREG}. */
  public static void meta(NlWriter w, int key, int dreg) {
    int e = begin(w, "meta");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(2, key); // NFTA_META_KEY
    w.putBe32(1, dreg); // NFTA_META_DREG
    end(w, e, d);
  }

  /** {@code cmp eq reg SREG VALUE}. */
  public static void cmpEq(NlWriter w, int sreg, byte[] value) {
    int e = begin(w, "cmp");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, sreg); // NFTA_CMP_SREG
    w.putBe32(2, 0); // NFTA_CMP_OP: NFT_CMP_EQ
    int v = w.beginNested(3); // NFTA_CMP_DATA
    w.putBytes(Nft.DATA_VALUE, value);
    w.endNested(v);
    end(w, e, d);
  }

  /** {@code payload load LEN b @ BASE header + OFFSET => reg DREG}. */
  public static void payload(NlWriter w, int dreg, int base, int offset, int len) {
    int e = begin(w, "payload");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, dreg); // NFTA_PAYLOAD_DREG
    w.putBe32(2, base); // NFTA_PAYLOAD_BASE
    w.putBe32(3, offset); // NFTA_PAYLOAD_OFFSET
    w.putBe32(4, len); // NFTA_PAYLOAD_LEN
    end(w, e, d);
  }

  /**
   * {@code lookup reg SREG set SET dreg DREG}: a map lookup (DREG 0 for a verdict map).
   *
   * @param setId the set's id when it is created in the same batch, else 0
   */
  public static void lookup(NlWriter w, int sreg, int dreg, String set, int setId) {
    int e = begin(w, "lookup");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(2, sreg); // NFTA_LOOKUP_SREG
    w.putBe32(3, dreg); // NFTA_LOOKUP_DREG
    w.putString(1, set); // NFTA_LOOKUP_SET
    if (setId != 0) {
      w.putBe32(4, setId); // NFTA_LOOKUP_SET_ID
    }
    end(w, e, d);
  }

  /** {@code numgen reg DREG = inc|random mod MODULUS}. */
  public static void numgen(NlWriter w, int dreg, int modulus, int type) {
    int e = begin(w, "numgen");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, dreg); // NFTA_NG_DREG
    w.putBe32(2, modulus); // NFTA_NG_MODULUS
    w.putBe32(3, type); // NFTA_NG_TYPE
    w.putBe32(4, 0); // NFTA_NG_OFFSET
    end(w, e, d);
  }

  /**
   * {@code hash reg DREG = jhash(reg SREG, LEN, SEED) % mod MODULUS}: the Jenkins hash of
   * LEN bytes (nft's {@code jhash ip saddr mod N seed S}).
   */
  public static void jhash(NlWriter w, int sreg, int dreg, int len, int modulus, int seed) {
    int e = begin(w, "hash");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, sreg); // NFTA_HASH_SREG
    w.putBe32(2, dreg); // NFTA_HASH_DREG
    w.putBe32(3, len); // NFTA_HASH_LEN
    w.putBe32(4, modulus); // NFTA_HASH_MODULUS
    w.putBe32(5, seed); // NFTA_HASH_SEED
    w.putBe32(6, 0); // NFTA_HASH_OFFSET
    w.putBe32(7, 0); // NFTA_HASH_TYPE: NFT_HASH_JENKINS
    end(w, e, d);
  }

  /** {@code nat dnat FAMILY addr_min reg ADDR proto_min reg PROTO}. */
  public static void dnat(NlWriter w, int nfproto, int regAddr, int regProto) {
    int e = begin(w, "nat");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, Nft.NAT_DNAT); // NFTA_NAT_TYPE
    w.putBe32(2, nfproto); // NFTA_NAT_FAMILY
    w.putBe32(3, regAddr); // NFTA_NAT_REG_ADDR_MIN
    w.putBe32(5, regProto); // NFTA_NAT_REG_PROTO_MIN
    end(w, e, d);
  }

  /** {@code reject}: ICMP(v6) port unreachable, what IPVS sends when no destination is available. */
  public static void reject(NlWriter w) {
    int e = begin(w, "reject");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, Nft.REJECT_ICMPX); // NFTA_REJECT_TYPE
    w.putU8(2, Nft.ICMPX_PORT_UNREACH); // NFTA_REJECT_ICMP_CODE
    end(w, e, d);
  }
}

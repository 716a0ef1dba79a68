package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;

/**
 * The nf_tables messages and expressions only direct routing needs, in nft 1.0.6's
 * attribute order (checked against {@code golden/dr.hex}): a netdev ingress base chain
 * bound to a device, a map whose elements time out, the {@code meta pkttype host} match, the {@code meta mark set},
 * {@code dynset}, {@code immediate} and {@code fwd} expressions. Pure code. Internal.
 */
public final class DrCodec {
  private DrCodec() {}

  /** NFPROTO_NETDEV: tables whose base chains hook one device. */
  public static final int NFPROTO_NETDEV = 5;
  /** NF_NETDEV_INGRESS. */
  public static final int HOOK_INGRESS = 0;
  /** NFTA_HOOK_DEV. */
  static final int HOOK_DEV = 3;
  /** NFT_SET_TIMEOUT. */
  static final int SET_F_TIMEOUT = 0x10;
  /** NFTA_SET_DESC (nested). */
  static final int SET_DESC = 9;
  /** NFTA_SET_TIMEOUT (u64 be, milliseconds). */
  static final int SET_TIMEOUT = 11;
  /** NFT_META_PROTOCOL: the Ethernet type. */
  static final int META_PROTOCOL = 1;
  /** NFT_META_MARK. */
  static final int META_MARK = 3;
  /** NFT_META_PKTTYPE: the packet's link-layer type (skb->pkt_type, one byte). */
  static final int META_PKTTYPE = 19;
  /** PACKET_HOST: a frame addressed to this host's MAC (not broadcast, multicast or another host's). */
  static final byte PACKET_HOST = 0;
  /** NFT_DYNSET_OP_ADD. */
  public static final int DYNSET_ADD = 0;
  /** NFT_DYNSET_OP_UPDATE: adds, or refreshes the timeout of an existing element (its data unchanged). */
  public static final int DYNSET_UPDATE = 1;

  /** NFT_MSG_NEWCHAIN of a {@code filter} base chain on the ingress hook of {@code device}, policy accept. */
  public static void newIngressChain(NlWriter w, String table, String chain, String device, int priority) {
    int m = begin(w, Nft.NEWCHAIN, Nl.NLM_F_CREATE);
    w.putString(Nft.CHAIN_TABLE, table);
    w.putString(Nft.CHAIN_NAME, chain);
    w.putString(Nft.CHAIN_TYPE, "filter");
    w.putBe32(Nft.CHAIN_POLICY, 1);
    int h = w.beginNested(Nft.CHAIN_HOOK);
    w.putBe32(Nft.HOOK_HOOKNUM, HOOK_INGRESS);
    w.putBe32(Nft.HOOK_PRIORITY, priority);
    w.putString(HOOK_DEV, device);
    w.endNested(h);
    w.endMessage(m);
  }

  /**
   * NFT_MSG_NEWSET of a map of at most {@code size} elements that expire {@code timeoutMs}
   * after they were added or last updated.
   */
  public static void newTimeoutMap(NlWriter w, String table, String name, int keyType, int keyLen, int dataType,
      int dataLen, int setId, int size, long timeoutMs, byte[] userdata) {
    int m = begin(w, Nft.NEWSET, Nl.NLM_F_CREATE);
    w.putString(Nft.SET_TABLE, table);
    w.putString(Nft.SET_NAME, name);
    w.putBe32(Nft.SET_FLAGS, Nft.SET_F_MAP | SET_F_TIMEOUT);
    w.putBe32(Nft.SET_KEY_TYPE, keyType);
    w.putBe32(Nft.SET_KEY_LEN, keyLen);
    w.putBe32(Nft.SET_DATA_TYPE, dataType);
    w.putBe32(Nft.SET_DATA_LEN, dataLen);
    if (setId != 0) {
      w.putBe32(Nft.SET_ID, setId);
    }
    int desc = w.beginNested(SET_DESC);
    w.putBe32(1, size); // NFTA_SET_DESC_SIZE
    w.endNested(desc);
    w.putRaw(be64Attr(SET_TIMEOUT, timeoutMs));
    w.putBytes(Nft.SET_USERDATA, userdata);
    w.endMessage(m);
  }

  private static byte[] be64Attr(int type, long v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
    b.order(java.nio.ByteOrder.nativeOrder()).putShort((short) 12).putShort((short) type);
    b.order(java.nio.ByteOrder.BIG_ENDIAN).putLong(v);
    return b.array();
  }

  private static int begin(NlWriter w, int msg, int flags) {
    int m = w.beginMessage(Nft.type(msg), Nl.NLM_F_REQUEST | flags);
    w.putRaw(new byte[] {(byte) NFPROTO_NETDEV, 0, 0, 0});
    return m;
  }

  private static int expr(NlWriter w, String name) {
    int e = w.beginNested(Nft.LIST_ELEM);
    w.putString(Nft.EXPR_NAME, name);
    return e;
  }

  /** {@code meta protocol ip}: nft's dependency for an IPv4 header match in a netdev chain. */
  public static void ipv4Only(NlWriter w) {
    NftExpr.meta(w, META_PROTOCOL, Nft.REG_1);
    NftExpr.cmpEq(w, Nft.REG_1, new byte[] {8, 0});
  }

  /**
   * {@code meta pkttype host}: only frames addressed to this host's MAC. A bridge floods a
   * unicast frame whose MAC it does not know (aged out, or its port down) to every port; the
   * kernel's IP stack drops such a PACKET_OTHERHOST frame, and so must an ingress chain that
   * acts before it, or every director on the segment forwards it.
   */
  public static void hostOnly(NlWriter w) {
    NftExpr.meta(w, META_PKTTYPE, Nft.REG_1);
    NftExpr.cmpEq(w, Nft.REG_1, new byte[] {PACKET_HOST});
  }

  /** {@code meta load mark => reg DREG}. */
  public static void loadMark(NlWriter w, int dreg) {
    NftExpr.meta(w, META_MARK, dreg);
  }

  /** {@code meta set mark with reg SREG}. */
  public static void setMark(NlWriter w, int sreg) {
    int e = expr(w, "meta");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(2, META_MARK); // NFTA_META_KEY
    w.putBe32(3, sreg); // NFTA_META_SREG
    w.endNested(d);
    w.endNested(e);
  }

  /** {@code dynset add|update reg_key KEY set SET sreg_data DATA}. */
  public static void dynset(NlWriter w, int op, int keyReg, int dataReg, String set, int setId) {
    int e = expr(w, "dynset");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(4, keyReg); // NFTA_DYNSET_SREG_KEY
    w.putBe32(5, dataReg); // NFTA_DYNSET_SREG_DATA
    w.putBe32(3, op); // NFTA_DYNSET_OP
    w.putString(1, set); // NFTA_DYNSET_SET_NAME
    if (setId != 0) {
      w.putBe32(2, setId); // NFTA_DYNSET_SET_ID
    }
    w.endNested(d);
    w.endNested(e);
  }

  /** {@code immediate reg DREG VALUE} (4 bytes, host order: an interface index). */
  public static void immediate(NlWriter w, int dreg, byte[] value) {
    int e = expr(w, "immediate");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, dreg); // NFTA_IMMEDIATE_DREG
    int v = w.beginNested(2); // NFTA_IMMEDIATE_DATA
    w.putBytes(Nft.DATA_VALUE, value);
    w.endNested(v);
    w.endNested(d);
    w.endNested(e);
  }

  /**
   * {@code fwd sreg_dev DEV sreg_addr ADDR nfproto FAMILY}: sends the packet out of the device
   * to the address's neighbour (the kernel's neighbour table gives the MAC, and resolves it
   * first when it has none), the packet unchanged but for its TTL.
   */
  public static void fwd(NlWriter w, int devReg, int addrReg, int nfproto) {
    int e = expr(w, "fwd");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBe32(1, devReg); // NFTA_FWD_SREG_DEV
    w.putBe32(2, addrReg); // NFTA_FWD_SREG_ADDR
    w.putBe32(3, nfproto); // NFTA_FWD_NFPROTO
    w.endNested(d);
    w.endNested(e);
  }
}

package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlAttrs;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the nf_tables messages lbkit reads back: the generation id, the elements of a
 * set dump, and rules (their chain, comment and a summary of their expressions). Every
 * length is checked; a malformed or truncated message is a {@link ProtocolException}
 * naming what was wrong. Pure code. Internal.
 */
public final class NftDecoder {
  private NftDecoder() {}

  /** Header bytes before the attributes: nlmsghdr and nfgenmsg. */
  static final int HDR = Nl.NLMSG_HDRLEN + 4;

  /** One element of a dump: key, data bytes (or null) and goto chain (or null). */
  public record DumpedElem(byte[] key, byte[] data, String chain) {}

  /**
   * One rule of a dump.
   *
   * @param chain its chain
   * @param comment its comment, or null
   * @param summary its expressions, e.g. {@code meta cmp numgen:inc:3 lookup:slots_x nat} or {@code reject}
   */
  public record DumpedRule(String chain, String comment, String summary) {}

  private static NlAttrs attrs(ByteBuffer b, int off, int len, int max) throws ProtocolException {
    if (len < HDR || off + len > b.limit()) {
      throw new ProtocolException("nf_tables message of " + len + " bytes at offset " + off + " is shorter than its "
          + HDR + "-byte header or runs past the buffer");
    }
    return NlAttrs.parse(b, off + HDR, off + len, max);
  }

  static int be32(NlAttrs a, int type) throws ProtocolException {
    byte[] v = a.bytes(type, 4);
    return ByteBuffer.wrap(v).getInt();
  }

  /** The NFTA_GEN_ID of a NFT_MSG_NEWGEN reply. */
  public static int genId(ByteBuffer b, int off, int len) throws ProtocolException {
    return be32(attrs(b, off, len, Nft.GEN_ID), Nft.GEN_ID);
  }

  /** The elements of one NFT_MSG_NEWSETELEM message of a dump. */
  public static List<DumpedElem> elems(ByteBuffer b, int off, int len) throws ProtocolException {
    NlAttrs a = attrs(b, off, len, Nft.ELEM_LIST_SET_ID);
    List<DumpedElem> out = new ArrayList<>();
    if (!a.has(Nft.ELEM_LIST_ELEMENTS)) {
      return out;
    }
    int from = a.offset(Nft.ELEM_LIST_ELEMENTS);
    int to = from + a.length(Nft.ELEM_LIST_ELEMENTS);
    ByteBuffer buf = a.buffer();
    for (int p = from, l; to - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(buf, p, to);
      if (NlAttrs.type(buf, p) != Nft.LIST_ELEM) {
        continue;
      }
      NlAttrs e = NlAttrs.parse(buf, p + Nl.NLA_HDRLEN, p + l, Nft.ELEM_DATA);
      NlAttrs key = e.nested(Nft.ELEM_KEY, Nft.DATA_VERDICT);
      if (key == null || !key.has(Nft.DATA_VALUE)) {
        throw new ProtocolException("set element without a key at offset " + p);
      }
      NlAttrs data = e.nested(Nft.ELEM_DATA, Nft.DATA_VERDICT);
      byte[] value = null;
      String chain = null;
      if (data != null && data.has(Nft.DATA_VALUE)) {
        value = data.bytes(Nft.DATA_VALUE, 1);
      } else if (data != null && data.has(Nft.DATA_VERDICT)) {
        chain = data.nested(Nft.DATA_VERDICT, Nft.VERDICT_CHAIN).string(Nft.VERDICT_CHAIN);
      }
      out.add(new DumpedElem(key.bytes(Nft.DATA_VALUE, 1), value, chain));
    }
    return out;
  }

  /** One NFT_MSG_NEWRULE message of a dump. */
  public static DumpedRule rule(ByteBuffer b, int off, int len) throws ProtocolException {
    NlAttrs a = attrs(b, off, len, Nft.RULE_USERDATA);
    String chain = a.string(Nft.RULE_CHAIN);
    if (chain == null) {
      throw new ProtocolException("rule without a chain at offset " + off);
    }
    String comment = a.has(Nft.RULE_USERDATA) ? Udata.comment(a.bytes(Nft.RULE_USERDATA, 0)) : null;
    StringBuilder s = new StringBuilder();
    if (a.has(Nft.RULE_EXPRESSIONS)) {
      int from = a.offset(Nft.RULE_EXPRESSIONS);
      int to = from + a.length(Nft.RULE_EXPRESSIONS);
      ByteBuffer buf = a.buffer();
      for (int p = from, l; to - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
        l = NlAttrs.length(buf, p, to);
        NlAttrs e = NlAttrs.parse(buf, p + Nl.NLA_HDRLEN, p + l, Nft.EXPR_DATA);
        String name = e.string(Nft.EXPR_NAME);
        if (name == null) {
          throw new ProtocolException("rule expression without a name at offset " + p);
        }
        s.append(s.length() == 0 ? "" : " ").append(name);
        NlAttrs d = e.nested(Nft.EXPR_DATA, 8);
        if (name.equals("numgen") && d != null) {
          s.append(':').append(be32(d, 3) == Nft.NG_RANDOM ? "random" : "inc").append(':').append(be32(d, 2));
        } else if (name.equals("hash") && d != null) {
          s.append(':').append(d.has(7) && be32(d, 7) != 0 ? "sym" : "jhash").append(':').append(be32(d, 4));
        } else if (name.equals("meta") && d != null && d.has(2) && be32(d, 2) == DrCodec.META_PKTTYPE) {
          s.append(":pkttype"); // the DR ingress rule's host-only match (its value is not checked)
        } else if (name.equals("lookup") && d != null) {
          s.append(':').append(d.string(1));
        }
      }
    }
    return new DumpedRule(chain, comment, s.toString());
  }

  /** The summary {@link #rule} gives for the rule {@link LbTable#rule} writes. */
  public static String expectedSummary(String scheduler, int slots, String slotsMap) {
    return expectedSummary(scheduler, java.util.Set.of(), slots, slotsMap);
  }

  /** As {@link #expectedSummary(String, int, String)}, for a scheduler with flags (mh-port). */
  public static String expectedSummary(String scheduler, java.util.Set<io.lbkit.api.SchedulerFlag> flags, int slots,
      String slotsMap) {
    if (slots == 0) {
      return "reject";
    }
    if (LbTable.isHash(scheduler)) {
      return "meta cmp meta cmp payload " + (LbTable.hashesPort(scheduler, flags) ? "payload " : "") + "hash:jhash:" + slots + " lookup:" + slotsMap + " nat";
    }
    return "meta cmp numgen:" + (scheduler.equals("random") ? "random" : "inc") + ":" + slots + " lookup:" + slotsMap
        + " nat";
  }
}

package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlAttrs;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the elements of a set with per-element counters (lbkit's {@code stats4} and
 * {@code stats6}): each element's key and its {@code counter} expression's packets and
 * bytes, whether the kernel sends it as NFTA_SET_ELEM_EXPR or in an
 * NFTA_SET_ELEM_EXPRESSIONS list. An element without a counter reads as 0. Every length is
 * checked; a malformed message is a {@link ProtocolException}. Pure code. Internal.
 */
public final class CounterDecoder {
  private CounterDecoder() {}

  /** One element: its key, packets and bytes. */
  public record Counted(byte[] key, long packets, long bytes) {}

  /** The elements of one NFT_MSG_NEWSETELEM message of a dump. */
  public static List<Counted> elems(ByteBuffer b, int off, int len) throws ProtocolException {
    if (len < NftDecoder.HDR || off + len > b.limit()) {
      throw new ProtocolException("nf_tables message of " + len + " bytes at offset " + off + " is shorter than its "
          + "header or runs past the buffer");
    }
    NlAttrs a = NlAttrs.parse(b, off + NftDecoder.HDR, off + len, Nft.ELEM_LIST_SET_ID);
    List<Counted> out = new ArrayList<>();
    if (!a.has(Nft.ELEM_LIST_ELEMENTS)) {
      return out;
    }
    ByteBuffer buf = a.buffer();
    int from = a.offset(Nft.ELEM_LIST_ELEMENTS);
    int to = from + a.length(Nft.ELEM_LIST_ELEMENTS);
    for (int p = from, l; to - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(buf, p, to);
      if (NlAttrs.type(buf, p) != Nft.LIST_ELEM) {
        continue;
      }
      NlAttrs e = NlAttrs.parse(buf, p + Nl.NLA_HDRLEN, p + l, LbStats.ELEM_EXPRESSIONS);
      NlAttrs key = e.nested(Nft.ELEM_KEY, Nft.DATA_VERDICT);
      if (key == null || !key.has(Nft.DATA_VALUE)) {
        throw new ProtocolException("set element without a key at offset " + p);
      }
      long[] c = new long[2];
      if (e.has(LbStats.ELEM_EXPR)) {
        counter(e.nested(LbStats.ELEM_EXPR, Nft.EXPR_DATA), c);
      } else if (e.has(LbStats.ELEM_EXPRESSIONS)) {
        int f = e.offset(LbStats.ELEM_EXPRESSIONS);
        int t = f + e.length(LbStats.ELEM_EXPRESSIONS);
        for (int q = f, m; t - q >= Nl.NLA_HDRLEN; q += Nl.align(m)) {
          m = NlAttrs.length(buf, q, t);
          counter(NlAttrs.parse(buf, q + Nl.NLA_HDRLEN, q + m, Nft.EXPR_DATA), c);
        }
      }
      out.add(new Counted(key.bytes(Nft.DATA_VALUE, 1), c[0], c[1]));
    }
    return out;
  }

  /** Adds a {@code counter} expression's NFTA_COUNTER_PACKETS (2) and NFTA_COUNTER_BYTES (1), both be64. */
  private static void counter(NlAttrs expr, long[] c) throws ProtocolException {
    if (!"counter".equals(expr.string(Nft.EXPR_NAME)) || !expr.has(Nft.EXPR_DATA)) {
      return;
    }
    NlAttrs d = expr.nested(Nft.EXPR_DATA, 3);
    if (d.has(2)) {
      c[0] += ByteBuffer.wrap(d.bytes(2, 8)).getLong();
    }
    if (d.has(1)) {
      c[1] += ByteBuffer.wrap(d.bytes(1, 8)).getLong();
    }
  }
}

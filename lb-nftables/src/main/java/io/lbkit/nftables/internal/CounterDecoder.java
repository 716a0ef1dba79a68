package io.lbkit.nftables.internal;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlAttrs;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

  /** Takes each element of a message as {@link #walk} decodes it. */
  @FunctionalInterface
  public interface Sink {
    /** One element: its key is {@code keyLength} bytes at {@code keyOffset} of {@code buf} (read, do not keep). */
    void elem(ByteBuffer buf, int keyOffset, int keyLength, long packets, long bytes) throws ProtocolException;
  }

  /** The elements of one NFT_MSG_NEWSETELEM message of a dump. */
  public static List<Counted> elems(ByteBuffer b, int off, int len) throws ProtocolException {
    List<Counted> out = new ArrayList<>();
    walk(b, off, len, (buf, k, n, packets, bytes) -> {
      byte[] key = new byte[n];
      buf.get(k, key);
      out.add(new Counted(key, packets, bytes));
    });
    return out;
  }

  /**
   * The elements of one NFT_MSG_NEWSETELEM message of a dump, each given to {@code sink} as
   * it is decoded, without copying or allocating per element (a scrape reads 20,000).
   */
  public static void walk(ByteBuffer b, int off, int len, Sink sink) throws ProtocolException {
    if (len < NftDecoder.HDR || off + len > b.limit()) {
      throw new ProtocolException("nf_tables message of " + len + " bytes at offset " + off + " is shorter than its "
          + "header or runs past the buffer");
    }
    ByteBuffer buf = b.order() == ByteOrder.nativeOrder() ? b : b.duplicate().order(ByteOrder.nativeOrder());
    int end = off + len;
    int list = NlAttrs.find(buf, off + NftDecoder.HDR, end, Nft.ELEM_LIST_ELEMENTS);
    if (list < 0) {
      return;
    }
    int to = list + NlAttrs.length(buf, list, end);
    long[] pair = new long[2];
    for (int p = list + Nl.NLA_HDRLEN, l; to - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(buf, p, to);
      if (NlAttrs.type(buf, p) != Nft.LIST_ELEM) {
        continue;
      }
      int keyAt = -1;
      int keyLen = 0;
      long packets = 0;
      long bytes = 0;
      int eTo = p + l;
      for (int q = p + Nl.NLA_HDRLEN, m; eTo - q >= Nl.NLA_HDRLEN; q += Nl.align(m)) {
        m = NlAttrs.length(buf, q, eTo);
        int type = NlAttrs.type(buf, q);
        if (type == Nft.ELEM_KEY) {
          int v = NlAttrs.find(buf, q + Nl.NLA_HDRLEN, q + m, Nft.DATA_VALUE);
          if (v >= 0) {
            keyAt = v + Nl.NLA_HDRLEN;
            keyLen = NlAttrs.length(buf, v, q + m) - Nl.NLA_HDRLEN;
          }
        } else if (type == LbStats.ELEM_EXPR) {
          long[] c = counter(buf, q + Nl.NLA_HDRLEN, q + m, pair);
          packets += c == null ? 0 : c[0];
          bytes += c == null ? 0 : c[1];
        } else if (type == LbStats.ELEM_EXPRESSIONS) {
          for (int x = q + Nl.NLA_HDRLEN, n; q + m - x >= Nl.NLA_HDRLEN; x += Nl.align(n)) {
            n = NlAttrs.length(buf, x, q + m);
            long[] c = counter(buf, x + Nl.NLA_HDRLEN, x + n, pair);
            packets += c == null ? 0 : c[0];
            bytes += c == null ? 0 : c[1];
          }
        }
      }
      if (keyAt < 0 || keyLen < 1) {
        throw new ProtocolException("set element without a key at offset " + p);
      }
      sink.elem(buf, keyAt, keyLen, packets, bytes);
    }
  }

  private static final byte[] COUNTER = "counter".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * A {@code counter} expression's NFTA_COUNTER_PACKETS (2) and NFTA_COUNTER_BYTES (1), both
   * be64, between {@code from} and {@code to}, into {@code c}; null for another expression.
   */
  private static long[] counter(ByteBuffer buf, int from, int to, long[] c) throws ProtocolException {
    int name = NlAttrs.find(buf, from, to, Nft.EXPR_NAME);
    int data = NlAttrs.find(buf, from, to, Nft.EXPR_DATA);
    if (name < 0 || data < 0 || !isCounter(buf, name)) {
      return null;
    }
    c[0] = 0;
    c[1] = 0;
    int dTo = data + NlAttrs.length(buf, data, to);
    for (int p = data + Nl.NLA_HDRLEN, l; dTo - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = NlAttrs.length(buf, p, dTo);
      int t = NlAttrs.type(buf, p);
      if (t == 1 || t == 2) {
        NlAttrs.need(t, l - Nl.NLA_HDRLEN, 8);
        long v = buf.getLong(p + Nl.NLA_HDRLEN);
        c[t == 2 ? 0 : 1] = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
      }
    }
    return c;
  }

  /** Whether the NFTA_EXPR_NAME attribute at {@code p} is "counter" (NUL-terminated or not). */
  private static boolean isCounter(ByteBuffer buf, int p) throws ProtocolException {
    int n = buf.getShort(p) - Nl.NLA_HDRLEN;
    if (n < COUNTER.length || n > COUNTER.length + 4) {
      return false;
    }
    for (int i = 0; i < COUNTER.length; i++) {
      if (buf.get(p + Nl.NLA_HDRLEN + i) != COUNTER[i]) {
        return false;
      }
    }
    return n == COUNTER.length || buf.get(p + Nl.NLA_HDRLEN + COUNTER.length) == 0;
  }
}

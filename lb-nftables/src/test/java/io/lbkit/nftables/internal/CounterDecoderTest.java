package io.lbkit.nftables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counter elements as the kernel dumps them: NFTA_SET_ELEM_EXPR, an EXPRESSIONS list, none; and malformed ones. */
class CounterDecoderTest {
  static byte[] be64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static void counter(NlWriter w, long packets, long bytes) {
    w.putString(Nft.EXPR_NAME, "counter");
    int d = w.beginNested(Nft.EXPR_DATA);
    w.putBytes(1, be64(bytes)); // NFTA_COUNTER_BYTES
    w.putBytes(2, be64(packets)); // NFTA_COUNTER_PACKETS
    w.endNested(d);
  }

  static void key(NlWriter w, int b) {
    int k = w.beginNested(Nft.ELEM_KEY);
    w.putBytes(Nft.DATA_VALUE, new byte[] {(byte) b, 0, 0, 0});
    w.endNested(k);
  }

  /** One NEWSETELEM with three elements: counter as EXPR, as EXPRESSIONS, and none. */
  static ByteBuffer message(boolean withKeys) {
    NlWriter w = new NlWriter(1024);
    int m = w.beginMessage(Nft.type(Nft.NEWSETELEM), Nl.NLM_F_MULTI);
    w.putRaw(new byte[] {1, 0, 0, 0});
    w.putString(Nft.ELEM_LIST_TABLE, "lbkit");
    w.putString(Nft.ELEM_LIST_SET, "stats4");
    int list = w.beginNested(Nft.ELEM_LIST_ELEMENTS);
    int e = w.beginNested(Nft.LIST_ELEM);
    if (withKeys) {
      key(w, 1);
    }
    int x = w.beginNested(LbStats.ELEM_EXPR);
    counter(w, 7, 700);
    w.endNested(x);
    w.endNested(e);
    e = w.beginNested(Nft.LIST_ELEM);
    key(w, 2);
    int xs = w.beginNested(LbStats.ELEM_EXPRESSIONS);
    int one = w.beginNested(Nft.LIST_ELEM);
    counter(w, 3, 1L << 40);
    w.endNested(one);
    w.endNested(xs);
    w.endNested(e);
    e = w.beginNested(Nft.LIST_ELEM);
    key(w, 3);
    w.endNested(e);
    w.endNested(list);
    w.endMessage(m);
    return w.flip();
  }

  @Test
  void elems_readEachFormOfCounter_andNoneAsZero() throws Exception {
    ByteBuffer b = message(true);
    List<CounterDecoder.Counted> c = CounterDecoder.elems(b, 0, b.limit());
    assertThat(c).hasSize(3);
    assertThat(c.get(0).key()).containsExactly(1, 0, 0, 0);
    assertThat(c.get(0).packets()).isEqualTo(7);
    assertThat(c.get(0).bytes()).isEqualTo(700);
    assertThat(c.get(1).packets()).isEqualTo(3);
    assertThat(c.get(1).bytes()).isEqualTo(1L << 40);
    assertThat(c.get(2).packets()).isZero();
    assertThat(c.get(2).bytes()).isZero();
  }

  @Test
  void elems_truncatedOrWithoutKey_isProtocolException() {
    ByteBuffer b = message(true);
    assertThrows(ProtocolException.class, () -> CounterDecoder.elems(b, 0, b.limit() + 4));
    ByteBuffer cut = message(true);
    ByteBuffer shorter = ByteBuffer.allocate(60).order(cut.order()).put(cut.slice(0, 60)).flip();
    assertThrows(ProtocolException.class, () -> CounterDecoder.elems(shorter, 0, cut.limit()));
    ByteBuffer noKey = message(false);
    assertThrows(ProtocolException.class, () -> CounterDecoder.elems(noKey, 0, noKey.limit()));
  }
}

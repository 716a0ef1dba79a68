package io.lbkit.nftables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import io.lbkit.nftables.internal.NftDecoder.DumpedElem;
import io.lbkit.nftables.internal.NftDecoder.DumpedRule;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump decoders read what the codec writes (the kernel echoes the same attributes) and reject broken bytes. */
class NftDecoderTest {
  static ByteBuffer copy(NlWriter w) {
    ByteBuffer f = w.flip();
    ByteBuffer b = ByteBuffer.allocate(f.remaining()).order(ByteOrder.nativeOrder());
    b.put(f).flip();
    return b;
  }

  @Test
  void elems_readKeysDataAndGotoChains() throws Exception {
    NlWriter w = new NlWriter(256);
    NftCodec.newElems(w, 1, "lbkit", "services4", 0, List.of(Elem.gotoChain(new byte[] {1, 2, 3, 4}, "svc_x"),
        Elem.of(new byte[] {5}, new byte[] {9, 0, 0, 0})));
    ByteBuffer b = copy(w);
    List<DumpedElem> e = NftDecoder.elems(b, 0, b.limit());
    assertThat(e).hasSize(2);
    assertThat(e.get(0).key()).containsExactly(1, 2, 3, 4);
    assertThat(e.get(0).chain()).isEqualTo("svc_x");
    assertThat(e.get(1).data()).containsExactly(9, 0, 0, 0);
  }

  @Test
  void rule_summarisesExpressionsAndReadsTheComment() throws Exception {
    NlWriter w = new NlWriter(512);
    LbTable.rule(w, NftCodecGoldenTest.WEB, "random", 5, 0);
    ByteBuffer b = copy(w);
    DumpedRule r = NftDecoder.rule(b, 0, b.limit());
    assertThat(r.chain()).isEqualTo("svc_tcp_192.0.2.200_80");
    assertThat(r.comment()).isEqualTo("random");
    assertThat(r.summary()).isEqualTo(NftDecoder.expectedSummary("random", 5, "slots_tcp_192.0.2.200_80"));
  }

  @Test
  void rule_ofAHashingScheduler_summarisesItsHashAndModulus_unlikeNumgen() throws Exception {
    NlWriter w = new NlWriter(512);
    LbTable.rule(w, NftCodecGoldenTest.WEB, "sh", 3, 0);
    ByteBuffer b = copy(w);
    DumpedRule r = NftDecoder.rule(b, 0, b.limit());
    assertThat(r.comment()).isEqualTo("sh");
    assertThat(r.summary()).isEqualTo("meta cmp meta cmp payload hash:jhash:3 lookup:slots_tcp_192.0.2.200_80 nat")
        .isEqualTo(NftDecoder.expectedSummary("dh", 3, "slots_tcp_192.0.2.200_80"))
        .isNotEqualTo(NftDecoder.expectedSummary("sh", 2, "slots_tcp_192.0.2.200_80"))
        .isNotEqualTo(NftDecoder.expectedSummary("wrr", 3, "slots_tcp_192.0.2.200_80"));
  }

  @Test
  void truncatedMessage_isProtocolExceptionNotAnIndexError() {
    NlWriter w = new NlWriter(512);
    LbTable.rule(w, NftCodecGoldenTest.WEB, "rr", 2, 0);
    ByteBuffer b = copy(w);
    for (int cut : new int[] {0, 10, 19, 30, b.limit() - 3}) {
      ByteBuffer t = b.duplicate().order(ByteOrder.nativeOrder()).limit(cut);
      assertThrows(ProtocolException.class, () -> NftDecoder.rule(t, 0, b.limit()), "cut at " + cut);
    }
  }

  @Test
  void attributeLengthPastItsMessage_isProtocolException() {
    NlWriter w = new NlWriter(256);
    NftCodec.newElems(w, 1, "lbkit", "dests4", 0, List.of(Elem.of(new byte[] {1}, new byte[] {2, 0, 0, 0})));
    ByteBuffer b = copy(w);
    b.putShort(20, (short) 0x7fff); // the first attribute claims more than the message holds
    assertThrows(ProtocolException.class, () -> NftDecoder.elems(b, 0, b.limit()));
  }

  @Test
  void genId_isBigEndian() throws Exception {
    NlWriter w = new NlWriter(64);
    int m = w.beginMessage(Nft.type(Nft.NEWGEN), 0);
    w.putRaw(new byte[4]);
    w.putBe32(Nft.GEN_ID, 0x01020304);
    w.endMessage(m);
    ByteBuffer b = copy(w);
    assertThat(NftDecoder.genId(b, 0, b.limit())).isEqualTo(0x01020304);
  }

  @Test
  void udataComment_malformedLength_isNull() {
    assertThat(Udata.comment(new byte[] {0, 40, 'r', 'r', 0})).isNull();
    assertThat(Udata.comment(Udata.comment("wrr"))).isEqualTo("wrr");
  }
}

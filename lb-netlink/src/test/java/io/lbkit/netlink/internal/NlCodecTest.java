package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

/** Framing and attributes by bytes. Vectors are little-endian (x86-64, aarch64). */
class NlCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String hex(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return HEX.formatHex(a);
  }

  private static ByteBuffer le(String hex) {
    byte[] a = HEX.parseHex(hex.replace(" ", ""));
    return ByteBuffer.allocate(a.length).order(ByteOrder.nativeOrder()).put(a).flip();
  }

  @Test
  void writer_genlMessageWithPaddedAndNestedAttributes_matchesGoldenBytes() {
    NlWriter w = new NlWriter(16);
    int m = w.beginMessage(0x1d, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK);
    w.genl(3, 1);
    int n = w.beginNested(1);
    w.putU16(1, 2).putBe16(4, 80).putString(6, "rr");
    w.endNested(n);
    w.putU8(2, 7).putU64(3, 0x0102030405060708L);
    w.endMessage(m);
    assertThat(hex(w.flip())).isEqualTo(
        "44000000" + "1d00" + "0500" + "00000000" + "00000000" // nlmsghdr: len 68, type, REQUEST|ACK
        + "03010000"                                            // genlmsghdr: cmd 3, version 1
        + "1c000180"                                            // nested type 1 | NLA_F_NESTED, len 28
        + "060001000200" + "0000"                               // u16 af=2 + pad
        + "060004000050" + "0000"                               // be16 port 80 + pad
        + "0700060072720000"                                    // "rr\0" + pad
        + "0500020007000000"                                    // u8 7 + pad
        + "0c0003000807060504030201");                          // u64
  }

  @Test
  void attrs_unknownTypesSkippedAndKnownOnesRead() throws ProtocolException {
    ByteBuffer b = le("08000100 2a000000 0800 6300 ffffffff 0600 0200 0050 0000");
    NlAttrs a = NlAttrs.parse(b, 0, b.limit(), 5);
    assertThat(a.u32(1)).isEqualTo(42);
    assertThat(a.has(0x63)).isFalse();
    assertThat(a.be16(2)).isEqualTo(80);
    assertThat(a.has(3)).isFalse();
  }

  @Test
  void attrs_lengthPastEnd_isProtocolExceptionNamingOffset() {
    ByteBuffer b = le("08000100 2a000000 10000200 0000");
    assertThatThrownBy(() -> NlAttrs.parse(b, 0, b.limit(), 5))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("offset 8").hasMessageContaining("length 16");
  }

  @Test
  void attrs_lengthBelowHeader_isProtocolException() {
    ByteBuffer b = le("02000100 00000000");
    assertThatThrownBy(() -> NlAttrs.parse(b, 0, b.limit(), 5)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void attrs_payloadShorterThanAccessor_isProtocolException() throws ProtocolException {
    ByteBuffer b = le("06000100 0100 0000");
    NlAttrs a = NlAttrs.parse(b, 0, b.limit(), 5);
    assertThatThrownBy(() -> a.u32(1)).isInstanceOf(ProtocolException.class).hasMessageContaining("too short");
    assertThatThrownBy(() -> a.u32(2)).isInstanceOf(ProtocolException.class).hasMessageContaining("missing");
  }

  @Test
  void attrs_trailingBytesShorterThanHeader_areIgnored() throws ProtocolException {
    ByteBuffer b = le("08000100 2a000000 0000");
    assertThat(NlAttrs.parse(b, 0, b.limit(), 5).u32(1)).isEqualTo(42);
  }

  @Test
  void framing_truncatedHeaderAndBadLength_areRejected() {
    assertThatThrownBy(() -> Framing.split(le("10000000 0300 0000 00000000")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Framing.split(le("0c000000 0300 0000 00000000 00000000")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("length 12");
  }

  @Test
  void genlFamily_parsesControllerReply() throws ProtocolException {
    ByteBuffer b = le("34000000 1000 0000 01000000 00000000" + "01020000"
        + "06000100 2a00 0000" + "09000200 49505653 00000000" + "08000300 01000000" + "08000500 18000000");
    b.putInt(0, b.limit());
    GenlFamily f = GenlFamily.parse(b);
    assertThat(f).isEqualTo(new GenlFamily("IPVS", 42, 1, 24));
  }

  @Property(tries = 200)
  void attributes_roundTrip(@ForAll int u32, @ForAll long u64, @ForAll short u16, @ForAll byte u8,
      @ForAll @StringLength(max = 40) @CharRange(from = 'a', to = 'z') String s, @ForAll byte[] bytes) throws Exception {
    NlWriter w = new NlWriter(8);
    int m = w.beginMessage(0x20, 0);
    int n = w.beginNested(7);
    w.putU32(1, u32).putU64(2, u64).putU16(3, u16 & 0xffff).putU8(4, u8 & 0xff).putString(5, s)
        .putBytes(6, bytes).putBe16(8, u16 & 0xffff);
    w.endNested(n);
    w.endMessage(m);
    ByteBuffer b = w.flip();
    assertThat(Framing.split(b)).hasSize(1);
    assertThat(b.limit() % 4).isZero();
    NlAttrs a = NlAttrs.parse(b, Nl.NLMSG_HDRLEN, b.limit(), 8).nested(7, 8);
    assertThat(a.u32(1)).isEqualTo(u32);
    assertThat(a.u64(2)).isEqualTo(u64);
    assertThat(a.u16(3)).isEqualTo(u16 & 0xffff);
    assertThat(a.u8(4)).isEqualTo(u8 & 0xff);
    assertThat(a.string(5)).isEqualTo(s);
    assertThat(a.bytes(6, 0)).isEqualTo(bytes);
    assertThat(a.be16(8)).isEqualTo(u16 & 0xffff);
  }
}

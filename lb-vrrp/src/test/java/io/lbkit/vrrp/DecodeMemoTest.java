package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.vrrp.internal.DropReason;
import io.lbkit.vrrp.internal.VrrpCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DecodeMemoTest {
  static final InetAddress SRC = Inet.parse("10.0.0.1");
  static final InetAddress GROUP = Inet.parse("224.0.0.18");
  /** v3 IPv4, VRID 7, prio 200, 100 cs, two VIPs, pseudo-header checksum (as VrrpCodecTest). */
  static final byte[] V3 = HexFormat.of().parseHex("3107c802006406d20a0000640a0000c8");

  final DecodeMemo memo = new DecodeMemo();

  static ByteBuffer buf(byte[] b) {
    return ByteBuffer.wrap(b.clone());
  }

  @Test
  void sameAdvertAgain_reusesTheDecoding() {
    VrrpCodec.Decoded first = memo.decode(buf(V3), SRC, GROUP, 255);
    VrrpCodec.Decoded again = memo.decode(buf(V3), SRC, GROUP, 255);
    assertThat(first.ok()).isTrue();
    assertThat(again).isSameAs(first);
    assertThat(again).isEqualTo(VrrpCodec.decode(buf(V3), SRC, GROUP, 255));
  }

  @Test
  void bufferReusedAfterTheCall_doesNotChangeTheMemo() {
    ByteBuffer shared = buf(V3);
    VrrpCodec.Decoded first = memo.decode(shared, SRC, GROUP, 255);
    shared.put(2, (byte) 100); // a transport reusing its receive buffer
    VrrpCodec.Decoded again = memo.decode(buf(V3), SRC, GROUP, 255);
    assertThat(again).isSameAs(first);
  }

  @Test
  void changedPriority_isDecodedAfresh() {
    memo.decode(buf(V3), SRC, GROUP, 255);
    byte[] lower = V3.clone();
    lower[2] = (byte) 100; // the checksum no longer matches: a drop, not the memo's packet
    VrrpCodec.Decoded d = memo.decode(buf(lower), SRC, GROUP, 255);
    assertThat(d.ok()).isFalse();
    assertThat(d.dropReason()).isEqualTo(DropReason.CHECKSUM);
  }

  @Test
  void differentSourceOrTtl_isDecodedAfresh() {
    VrrpCodec.Decoded first = memo.decode(buf(V3), SRC, GROUP, 255);
    VrrpCodec.Decoded ttl = memo.decode(buf(V3), SRC, GROUP, 254);
    assertThat(ttl.dropReason()).isEqualTo(DropReason.TTL);
    VrrpCodec.Decoded other = memo.decode(buf(V3), Inet.parse("10.0.0.2"), GROUP, 255);
    assertThat(other.ok()).isFalse(); // the pseudo-header checksum covers the source
    assertThat(memo.decode(buf(V3), SRC, GROUP, 255)).isNotSameAs(first).isEqualTo(first);
  }
}

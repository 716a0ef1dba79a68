package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte vectors whose checksums were computed independently (Python, RFC 1071 over
 * the pseudo-header as RFC 5798 5.2.8 defines it), valid and malformed.
 */
class VrrpCodecTest {
  static final HexFormat HEX = HexFormat.of();
  static final InetAddress SRC4 = Inet.parse("10.0.0.1");
  static final InetAddress GROUP4 = Inet.parse("224.0.0.18");
  static final InetAddress SRC6 = Inet.parse("fe80::a");
  static final InetAddress GROUP6 = Inet.parse("ff02::12");

  /** keepalived-style v2: VRID 51, prio 100, advert 1 s, auth PASS "1111", VIP 192.168.200.16. */
  static final String V2_PASS = "2133640101018eaec0a8c8103131313100000000";
  /** v3 IPv4, VRID 7, prio 200, 100 cs, two VIPs, checksum with pseudo-header (src 10.0.0.1, dst 224.0.0.18). */
  static final String V3_V4_PSEUDO = "3107c802006406d20a0000640a0000c8";
  /** The same without the pseudo-header (keepalived old_unicast_checksum / pre-1.2.? form). */
  static final String V3_V4_PLAIN = "3107c8020064f1650a0000640a0000c8";
  /** v3 IPv6, VRID 9, prio 150, 5 cs, fe80::1 and 2001:db8::10 (src fe80::a, dst ff02::12). */
  static final String V3_V6 = "3109960200050e6cfe80000000000000000000000000000120010db8000000000000000000000010";

  static VrrpCodec.Decoded decode(String hex, InetAddress src, InetAddress dst, int ttl) {
    return VrrpCodec.decode(ByteBuffer.wrap(HEX.parseHex(hex)), src, dst, ttl);
  }

  @Test
  void encode_v2Pass_matchesVector() {
    VrrpPacket p = new VrrpPacket(2, 51, 100, 100, List.of(Inet.parse("192.168.200.16")), VrrpPacket.AUTH_PASS,
        VrrpPacket.passwordData("1111"));
    assertThat(HEX.formatHex(VrrpCodec.encode(p, SRC4, GROUP4, ChecksumForm.PLAIN))).isEqualTo(V2_PASS);
  }

  @Test
  void decode_v2Pass_givesFields() {
    VrrpCodec.Decoded d = decode(V2_PASS, SRC4, GROUP4, 255);
    assertThat(d.ok()).isTrue();
    assertThat(d.packet().vrid()).isEqualTo(51);
    assertThat(d.packet().priority()).isEqualTo(100);
    assertThat(d.packet().advertCentis()).isEqualTo(100);
    assertThat(d.packet().authType()).isEqualTo(VrrpPacket.AUTH_PASS);
    assertThat(d.packet().authData()).isEqualTo(VrrpPacket.passwordData("1111"));
    assertThat(d.packet().addresses()).containsExactly(Inet.parse("192.168.200.16"));
    assertThat(d.checksumForm()).isEqualTo(ChecksumForm.PLAIN);
  }

  @Test
  void encode_v3Ipv4_bothChecksumForms_matchVectors() {
    VrrpPacket p = new VrrpPacket(3, 7, 200, 100, List.of(Inet.parse("10.0.0.100"), Inet.parse("10.0.0.200")), 0, null);
    assertThat(HEX.formatHex(VrrpCodec.encode(p, SRC4, GROUP4, ChecksumForm.PSEUDO_HEADER))).isEqualTo(V3_V4_PSEUDO);
    assertThat(HEX.formatHex(VrrpCodec.encode(p, SRC4, GROUP4, ChecksumForm.PLAIN))).isEqualTo(V3_V4_PLAIN);
  }

  @Test
  void decode_v3Ipv4_acceptsBothFormsAndSaysWhich() {
    assertThat(decode(V3_V4_PSEUDO, SRC4, GROUP4, 255).checksumForm()).isEqualTo(ChecksumForm.PSEUDO_HEADER);
    assertThat(decode(V3_V4_PLAIN, SRC4, GROUP4, 255).checksumForm()).isEqualTo(ChecksumForm.PLAIN);
  }

  @Test
  void decode_v3Ipv4PseudoHeader_otherDestination_isBadChecksum() {
    assertThat(decode(V3_V4_PSEUDO, SRC4, Inet.parse("10.0.0.2"), 255).dropReason()).isEqualTo(DropReason.CHECKSUM);
  }

  @Test
  void encodeDecode_v3Ipv6_matchesVectorAndRoundTrips() {
    VrrpPacket p = new VrrpPacket(3, 9, 150, 5, List.of(Inet.parse("fe80::1"), Inet.parse("2001:db8::10")), 0, null);
    assertThat(HEX.formatHex(VrrpCodec.encode(p, SRC6, GROUP6, ChecksumForm.PLAIN))).isEqualTo(V3_V6);
    VrrpCodec.Decoded d = decode(V3_V6, SRC6, GROUP6, 255);
    assertThat(d.packet()).isEqualTo(p);
    assertThat(d.checksumForm()).isEqualTo(ChecksumForm.PSEUDO_HEADER);
  }

  @Test
  void decode_v3Ipv6_plainChecksum_isRejected() {
    VrrpPacket p = new VrrpPacket(3, 9, 150, 5, List.of(Inet.parse("fe80::1")), 0, null);
    byte[] b = VrrpCodec.encode(p, SRC6, GROUP6, ChecksumForm.PLAIN);
    b[6] = 0;
    b[7] = 0;
    int plain = VrrpCodec.checksum(b, 0, b.length, null, null);
    b[6] = (byte) (plain >> 8);
    b[7] = (byte) plain;
    assertThat(VrrpCodec.decode(ByteBuffer.wrap(b), SRC6, GROUP6, 255).dropReason()).isEqualTo(DropReason.CHECKSUM);
  }

  @Test
  void decode_ttl254_droppedForTtl() {
    assertThat(decode(V2_PASS, SRC4, GROUP4, 254).dropReason()).isEqualTo(DropReason.TTL);
    assertThat(decode(V3_V6, SRC6, GROUP6, 1).dropReason()).isEqualTo(DropReason.TTL);
  }

  @Test
  void decode_version4_droppedForVersion() {
    assertThat(decode("41" + V2_PASS.substring(2), SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.VERSION);
  }

  @Test
  void decode_type2_droppedForType() {
    assertThat(decode("22" + V2_PASS.substring(2), SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.TYPE);
  }

  @Test
  void decode_truncatedHeader_droppedForLength() {
    assertThat(decode("213364", SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.LENGTH);
  }

  @Test
  void decode_countSaysMoreThanPresent_droppedForLength() {
    assertThat(decode(V3_V4_PSEUDO.substring(0, V3_V4_PSEUDO.length() - 8), SRC4, GROUP4, 255).dropReason())
        .isEqualTo(DropReason.LENGTH);
    assertThat(decode(V2_PASS + "00", SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.LENGTH);
  }

  @Test
  void decode_flippedBit_droppedForChecksum() {
    byte[] b = HEX.parseHex(V2_PASS);
    b[9] ^= 1;
    assertThat(VrrpCodec.decode(ByteBuffer.wrap(b), SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.CHECKSUM);
    byte[] c = HEX.parseHex(V3_V6);
    c[20] ^= (byte) 0x80;
    assertThat(VrrpCodec.decode(ByteBuffer.wrap(c), SRC6, GROUP6, 255).dropReason()).isEqualTo(DropReason.CHECKSUM);
  }

  @Test
  void decode_v2AuthAh_refusedAsUnsupported() {
    VrrpPacket p = new VrrpPacket(2, 51, 100, 100, List.of(Inet.parse("192.168.200.16")), VrrpPacket.AUTH_AH,
        new byte[8]);
    VrrpCodec.Decoded d = VrrpCodec.decode(ByteBuffer.wrap(VrrpCodec.encode(p, SRC4, GROUP4, null)), SRC4, GROUP4, 255);
    assertThat(d.dropReason()).isEqualTo(DropReason.AUTH_AH_UNSUPPORTED);
    assertThat(d.detail()).contains("not supported");
  }

  @Test
  void decode_v3ZeroInterval_droppedForInterval() {
    VrrpPacket p = new VrrpPacket(3, 7, 200, 1, List.of(Inet.parse("10.0.0.100")), 0, null);
    byte[] b = VrrpCodec.encode(p, SRC4, GROUP4, ChecksumForm.PLAIN);
    b[5] = 0;
    b[6] = 0;
    b[7] = 0;
    int c = VrrpCodec.checksum(b, 0, b.length, null, null);
    b[6] = (byte) (c >> 8);
    b[7] = (byte) c;
    assertThat(VrrpCodec.decode(ByteBuffer.wrap(b), SRC4, GROUP4, 255).dropReason()).isEqualTo(DropReason.INTERVAL);
  }

  @Test
  void decode_v2OverIpv6_droppedForVersion() {
    assertThat(decode(V2_PASS, SRC6, GROUP6, 255).dropReason()).isEqualTo(DropReason.VERSION);
  }

  @Test
  void encode_v2Ipv6_refused() {
    VrrpPacket p = new VrrpPacket(2, 1, 100, 100, List.of(), 0, new byte[8]);
    assertThatThrownBy(() -> VrrpCodec.encode(p, SRC6, GROUP6, null)).hasMessageContaining("IPv4 only");
  }

  @Test
  void passwordData_longPassword_truncatedTo8() {
    assertThat(VrrpPacket.passwordData("123456789")).isEqualTo("12345678".getBytes());
  }

  @Test
  void packet_v3IntervalOver12Bits_rejected() {
    assertThatThrownBy(() -> new VrrpPacket(3, 1, 100, 4096, List.of(), 0, null)).hasMessageContaining("4096");
  }
}

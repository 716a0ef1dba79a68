package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link VrrpCodec#decode}: whatever the bytes, the decoder
 * returns a packet or a drop reason with its detail, and never throws. The first input
 * byte picks the case (bit 0: IPv6, bit 1: TTL unknown, bit 2: patch a valid checksum in
 * so the fuzzer reaches the fields behind it); the rest is the VRRP message. A normal
 * build replays the committed inputs under {@code VrrpDecodeFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (lb-bench/scripts/fuzz.sh).
 */
class VrrpDecodeFuzzTest {
  private static final InetAddress SRC4 = Inet.parse("10.0.0.1");
  private static final InetAddress DST4 = Inet.parse("224.0.0.18");
  private static final InetAddress SRC6 = Inet.parse("fe80::a");
  private static final InetAddress DST6 = Inet.parse("ff02::12");

  @FuzzTest(maxDuration = "60s")
  void decode_anyBytes_returnsPacketOrDropReason(byte[] input) {
    if (input == null || input.length == 0) {
      return;
    }
    int mode = input[0];
    byte[] packet = Arrays.copyOfRange(input, 1, input.length);
    boolean v6 = (mode & 1) != 0;
    InetAddress src = v6 ? SRC6 : SRC4;
    InetAddress dst = v6 ? DST6 : DST4;
    if ((mode & 4) != 0 && packet.length >= 8) {
      boolean v2 = (packet[0] & 0xf0) == 0x20;
      packet[6] = 0;
      packet[7] = 0;
      int sum = v2 ? VrrpCodec.checksum(packet, 0, packet.length, null, null)
          : VrrpCodec.checksum(packet, 0, packet.length, src, dst);
      packet[6] = (byte) (sum >> 8);
      packet[7] = (byte) sum;
    }
    VrrpCodec.Decoded d = VrrpCodec.decode(ByteBuffer.wrap(packet), src, dst, (mode & 2) != 0 ? -1 : 255);
    if (d.ok()) {
      assertThat(d.packet()).isNotNull();
      assertThat(d.packet().vrid()).isBetween(1, 255);
      byte[] again = VrrpCodec.encode(d.packet(), src, dst, d.checksumForm());
      assertThat(VrrpCodec.decode(ByteBuffer.wrap(again), src, dst, 255).packet()).isEqualTo(d.packet());
    } else {
      assertThat(d.dropReason()).isNotNull();
      assertThat(d.detail()).isNotBlank();
    }
  }
}

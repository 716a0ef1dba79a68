package io.lbkit.netlink.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Announcement bytes against vectors computed independently (Python, RFC 826 / RFC 4861 layouts). */
class AnnouncementsTest {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] MAC = HEX.parseHex("020000aabbcc");

  @Test
  void gratuitousArp_requestWithSenderAndTargetTheVip() {
    assertThat(HEX.formatHex(Announcements.gratuitousArp(MAC, (Inet4Address) Inet.parse("10.0.0.100"))))
        .isEqualTo("0001080006040001020000aabbcc0a000064ffffffffffff0a000064");
  }

  @Test
  void unsolicitedNa_ipv6HeaderHopLimit255_overrideFlag_checksum() {
    byte[] p = Announcements.unsolicitedNeighbourAdvert(MAC, (Inet6Address) Inet.parse("fe80::1"),
        (Inet6Address) Inet.parse("2001:db8::100"));
    assertThat(HEX.formatHex(p)).isEqualTo("6000000000203afffe800000000000000000000000000001ff0200000000000000000000"
        + "0000000188006aee2000000020010db80000000000000000000001000201020000aabbcc");
  }

  @Test
  void badMac_rejectedWithLength() {
    assertThatThrownBy(() -> Announcements.gratuitousArp(new byte[4], (Inet4Address) Inet.parse("10.0.0.1")))
        .hasMessageContaining("got 4");
  }
}

package io.lbkit.netlink.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NlWriter;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Link and address messages by bytes, written from the uapi layouts (struct ifinfomsg,
 * struct ifaddrmsg, struct ifa_cacheinfo; linux/if_addr.h, linux/if_link.h). Vectors are
 * little-endian (x86-64, aarch64).
 */
class RtnlCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  static String hex(NlWriter w) {
    ByteBuffer b = w.flip();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return HEX.formatHex(a);
  }

  static ByteBuffer le(String hex) {
    byte[] a = HEX.parseHex(hex.replace(" ", ""));
    return ByteBuffer.allocate(a.length).order(ByteOrder.nativeOrder()).put(a).flip();
  }

  @Test
  void newAddress_ipv4Vip_matchesIpAddrAddBytes() {
    NlWriter w = new NlWriter(64);
    RtnlCodec.newAddress(w, 3, IfAddress.parse("192.0.2.1"));
    assertThat(hex(w)).isEqualTo(
        "30000000 1400 0106 00000000 00000000" // nlmsghdr: 48 bytes, RTM_NEWADDR, REQUEST|EXCL|CREATE
            .replace(" ", "")
        + "02200000" + "03000000"              // ifaddrmsg: AF_INET, /32, flags 0, scope 0, index 3
        + "08000200c0000201"                   // IFA_LOCAL 192.0.2.1
        + "08000100c0000201"                   // IFA_ADDRESS 192.0.2.1
        + "0800080000000000");                 // IFA_FLAGS 0
  }

  @Test
  void newAddress_ipv6Vip_setsNodadInHeaderAndIfaFlags() {
    NlWriter w = new NlWriter(64);
    RtnlCodec.newAddress(w, 7, IfAddress.parse("2001:db8::1"));
    String addr = "20010db8000000000000000000000001";
    assertThat(hex(w)).isEqualTo("48000000" + "1400" + "0106" + "00000000" + "00000000"
        + "0a800200" + "07000000"              // AF_INET6, /128, IFA_F_NODAD, scope 0, index 7
        + "14000200" + addr                    // IFA_LOCAL
        + "14000100" + addr                    // IFA_ADDRESS
        + "0800080002000000");                 // IFA_FLAGS NODAD
  }

  @Test
  void newAddress_ipv4WithLabelBroadcastAndLinkScope_encodesAll() {
    NlWriter w = new NlWriter(64);
    IfAddress a = IfAddress.parse("10.0.0.5/24").withLabel("eth0:vip").withBroadcast(Inet.parse("10.0.0.255"))
        .withScope(IfAddress.SCOPE_LINK);
    RtnlCodec.newAddress(w, 2, a);
    assertThat(hex(w)).isEqualTo("48000000" + "1400" + "0106" + "0000000000000000"
        + "0218" + "00" + "fd" + "02000000"    // /24, scope 253
        + "080002000a000005" + "080001000a000005" + "0800080000000000"
        + "0d000300" + "657468303a766970" + "00000000" // IFA_LABEL "eth0:vip\0" (13) + 3 pad
        + "080004000a0000ff");                 // IFA_BROADCAST
  }

  @Test
  void deleteAddress_ipv4_hasNoFlagsAttributeAndNoCreateFlags() {
    NlWriter w = new NlWriter(64);
    RtnlCodec.deleteAddress(w, 3, IfAddress.parse("192.0.2.1"));
    assertThat(hex(w)).isEqualTo("28000000" + "1500" + "0100" + "0000000000000000"
        + "02200000" + "03000000" + "08000200c0000201" + "08000100c0000201");
  }

  @Test
  void getLink_byName_carriesIflaIfname() {
    NlWriter w = new NlWriter(64);
    RtnlCodec.getLink(w, "vip0");
    assertThat(hex(w)).isEqualTo("2c000000" + "1200" + "0100" + "0000000000000000"
        + "00000000" + "00000000" + "00000000" + "00000000"   // ifinfomsg all zero
        + "0900030076697030" + "00000000");                      // IFLA_IFNAME "vip0\0" + pad
  }

  @Test
  void setLinkUp_changesOnlyIffUp() {
    NlWriter w = new NlWriter(64);
    RtnlCodec.setLinkUp(w, 4, false);
    assertThat(hex(w)).isEqualTo("20000000" + "1000" + "0100" + "0000000000000000"
        + "00000000" + "04000000" + "00000000" + "01000000");   // index 4, flags 0, change IFF_UP
  }

  /** RTM_NEWADDR as the kernel sends it for {@code 10.0.0.1/24 brd 10.0.0.255 scope global eth0}. */
  static final String KERNEL_NEWADDR_V4 = "60000000 1400 0200 01000000 00000000"
      + " 02 18 80 00 02000000"                // AF_INET /24 PERMANENT scope global index 2
      + " 08000100 0a000001 08000200 0a000001" // IFA_ADDRESS, IFA_LOCAL
      + " 08000400 0a0000ff"                   // IFA_BROADCAST
      + " 09000300 65746830 00000000"          // IFA_LABEL "eth0"
      + " 08000800 80000000"                   // IFA_FLAGS PERMANENT
      + " 14000600 ffffffff ffffffff 10000000 10000000" // IFA_CACHEINFO forever
      + " 08003000 deadbeef";                  // an attribute from a newer kernel

  @Test
  void decodeAddress_kernelIpv4Message_readsEveryField() throws ProtocolException {
    ByteBuffer b = le(KERNEL_NEWADDR_V4);
    Address a = RtnlCodec.decodeAddress(b, 0, b.limit());
    assertThat(a.ifIndex()).isEqualTo(2);
    assertThat(a.address()).isEqualTo(new IfAddress(Inet.parse("10.0.0.1"), 24, "eth0", 0,
        Inet.parse("10.0.0.255"), false));
    assertThat(a.flags()).isEqualTo(Rtnl.IFA_F_PERMANENT);
    assertThat(a.preferredLifetime()).isEqualTo(-1);
    assertThat(a.validLifetime()).isEqualTo(-1);
  }

  @Test
  void decodeAddress_ipv6TentativeWithoutIfaFlags_usesHeaderFlags() throws ProtocolException {
    ByteBuffer b = le("40000000 1500 0000 00000000 00000000" + "0a 40 40 fd 05000000"
        + "14000100 fe800000000000000000000000000001" + "14000600 2c010000 58020000 00000000 00000000");
    Address a = RtnlCodec.decodeAddress(b, 0, b.limit());
    assertThat(a.address().address()).isEqualTo(Inet.parse("fe80::1"));
    assertThat(a.address().prefixLength()).isEqualTo(64);
    assertThat(a.address().scope()).isEqualTo(IfAddress.SCOPE_LINK);
    assertThat(a.tentative()).isTrue();
    assertThat(a.address().noDad()).isFalse();
    assertThat(a.preferredLifetime()).isEqualTo(300);
    assertThat(a.validLifetime()).isEqualTo(600);
  }

  @Test
  void decodeAddress_truncatedHeader_throwsNamingSizes() {
    ByteBuffer b = le("14000000 1400 0200 01000000 00000000 0220 0000");
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(b, 0, b.limit())).isInstanceOf(ProtocolException.class)
        .hasMessage("RTM_NEWADDR truncated: 20 bytes, need 24");
  }

  @Test
  void decodeAddress_attributeRunningPastMessage_throws() {
    ByteBuffer b = le("20000000 1400 0200 01000000 00000000 02200000 02000000 10000200 0a000001");
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(b, 0, b.limit())).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("malformed netlink attribute at offset 24");
  }

  @Test
  void decodeAddress_ipv4AddressOfSixteenBytes_throws() {
    ByteBuffer b = le("2c000000 1400 0200 01000000 00000000 02200000 02000000"
        + "14000200 20010db8000000000000000000000001");
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(b, 0, b.limit())).isInstanceOf(ProtocolException.class)
        .hasMessage("IFA_LOCAL/IFA_ADDRESS of 16 bytes, need 4");
  }

  @Test
  void decodeAddress_unknownFamily_throws() {
    ByteBuffer b = le("20000000 1400 0200 01000000 00000000 07200000 02000000 08000200 0a000001");
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(b, 0, b.limit())).hasMessageContaining("family 7");
  }

  @Test
  void decodeAddress_lengthFieldDisagrees_throws() {
    ByteBuffer b = le("ff000000 1400 0200 01000000 00000000 02200000 02000000 08000200 0a000001");
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(b, 0, b.limit())).hasMessageContaining("length field 255");
  }

  /** RTM_NEWLINK as the kernel sends it for a veth {@code eth0} that is up with carrier. */
  static final String KERNEL_NEWLINK = "58000000 1000 0000 00000000 00000000"
      + " 00 00 0100 02000000 43100100 00000000" // ARPHRD_ETHER, index 2, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
      + " 09000300 65746830 00000000"            // IFLA_IFNAME "eth0"
      + " 08000400 dc050000"                     // IFLA_MTU 1500
      + " 05001000 06000000"                     // IFLA_OPERSTATE UP
      + " 0a000100 021122334455 0000"            // IFLA_ADDRESS
      + " 08000a00 05000000"                     // IFLA_MASTER 5
      + " 08003a00 01020304";                    // unknown attribute 58

  @Test
  void decodeLink_kernelMessage_readsNameStateMtuMacMaster() throws ProtocolException {
    ByteBuffer b = le(KERNEL_NEWLINK);
    Link l = RtnlCodec.decodeLink(b, 0, b.limit());
    assertThat(l).isEqualTo(new Link(2, "eth0", 0x11043, Rtnl.IF_OPER_UP, 1500, "02:11:22:33:44:55", 5));
    assertThat(l.isRunning()).isTrue();
  }

  @Test
  void decodeLink_withoutName_throws() {
    ByteBuffer b = le("20000000 1000 0000 00000000 00000000 00000100 02000000 01000000 00000000");
    assertThatThrownBy(() -> RtnlCodec.decodeLink(b, 0, b.limit())).hasMessage(
        "RTM_NEWLINK for index 2 has no IFLA_IFNAME");
  }

  @Test
  void decodeLink_addressMessage_rejectedByType() {
    ByteBuffer b = le(KERNEL_NEWADDR_V4);
    assertThatThrownBy(() -> RtnlCodec.decodeLink(b, 0, b.limit())).hasMessage("not a link message: type 20");
  }

  @Test
  void newAddress_badIndexOrName_rejectedWithValue() {
    assertThatThrownBy(() -> RtnlCodec.newAddress(new NlWriter(64), 0, IfAddress.parse("192.0.2.1")))
        .hasMessageContaining(": 0");
    assertThatThrownBy(() -> RtnlCodec.getLink(new NlWriter(64), "sixteen-chars-xx"))
        .hasMessageContaining("sixteen-chars-xx");
  }
}

package io.lbkit.netlink.rtnl;

import static io.lbkit.netlink.rtnl.RtnlCodecTest.hex;
import static io.lbkit.netlink.rtnl.RtnlCodecTest.le;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.netlink.internal.NlWriter;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Route messages by bytes (struct rtmsg, RTA_*; linux/rtnetlink.h). Little-endian vectors. */
class RouteCodecTest {

  @Test
  void newRoute_viaGatewayInMainTable_matchesGoldenBytes() {
    NlWriter w = new NlWriter(64);
    RouteCodec.newRoute(w, Route.via("10.1.0.0/16", "192.0.2.254"), 0);
    assertThat(hex(w)).isEqualTo("34000000" + "1800" + "0106" + "0000000000000000"
        + "02100000" + "fe" + "12" + "00" + "01" + "00000000" // /16, table main, proto keepalived, universe, unicast
        + "08000f00fe000000"                                   // RTA_TABLE 254
        + "080001000a010000"                                   // RTA_DST 10.1.0.0
        + "08000500c00002fe");                                 // RTA_GATEWAY
  }

  @Test
  void newRoute_deviceRouteHostBitsSetInHighTable_masksDestinationAndUsesRtaTable() {
    NlWriter w = new NlWriter(64);
    Route r = new Route(Inet.parse("10.1.2.3"), 8, null, "eth0", Inet.parse("10.0.0.1"), 100, 1000, 253);
    RouteCodec.newRoute(w, r, 9);
    assertThat(hex(w)).isEqualTo("44000000" + "1800" + "0106" + "0000000000000000"
        + "02080000" + "00" + "12" + "fd" + "01" + "00000000" // table in RTA_TABLE only, scope link
        + "08000f00e8030000"                                   // RTA_TABLE 1000
        + "080001000a000000"                                   // RTA_DST 10.0.0.0 (masked)
        + "0800040009000000"                                   // RTA_OIF 9
        + "080007000a000001"                                   // RTA_PREFSRC
        + "0800060064000000");                                 // RTA_PRIORITY 100
  }

  @Test
  void deleteRoute_matchesAnyProtocolAndScope() {
    NlWriter w = new NlWriter(64);
    RouteCodec.deleteRoute(w, Route.via("10.1.0.0/16", "192.0.2.254"), 0);
    assertThat(hex(w)).startsWith("34000000" + "1900" + "0100" + "0000000000000000"
        + "02100000" + "fe" + "00" + "ff" + "00");
  }

  @Test
  void decode_kernelDefaultRouteWithoutDst_isAllZerosSlashZero() throws ProtocolException {
    ByteBuffer b = le("34000000 1800 0200 01000000 00000000" + "02000000 fe 03 00 01 00000000"
        + "08000f00 fe000000" + "08000500 0a0000fe" + "08000400 02000000");
    RouteCodec.RouteEntry e = RouteCodec.decode(b, 0, b.limit());
    assertThat(e).isEqualTo(new RouteCodec.RouteEntry(Family.INET, Inet.parse("0.0.0.0"), 0,
        Inet.parse("10.0.0.254"), 2, null, 0, 254, 0, 3, 1));
  }

  @Test
  void decode_ipv6GatewayOfFourBytes_throws() {
    ByteBuffer b = le("24000000 1800 0200 01000000 00000000" + "0a000000 fe 03 00 01 00000000"
        + "08000500 0a0000fe");
    assertThatThrownBy(() -> RouteCodec.decode(b, 0, b.limit())).isInstanceOf(ProtocolException.class)
        .hasMessage("RTA_GATEWAY of 4 bytes, need 16");
  }

  @Test
  void decode_truncatedRtmsg_throws() {
    ByteBuffer b = le("18000000 1800 0200 01000000 00000000 02000000 fe030001");
    assertThatThrownBy(() -> RouteCodec.decode(b, 0, b.limit())).hasMessage(
        "RTM_NEWROUTE truncated: 24 bytes, need 28");
  }

  @Test
  void newRoute_gatewayOfOtherFamily_rejected() {
    assertThatThrownBy(() -> RouteCodec.newRoute(new NlWriter(64), Route.via("10.1.0.0/16", "2001:db8::1"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2001:db8::1");
  }
}

package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.net.Inet;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every IPVS request lbkit builds, against byte vectors written from
 * {@code include/uapi/linux/ip_vs.h} (little-endian host: x86-64, aarch64). Family id 0x2a.
 * The socket adds NLM_F_ACK, the sequence number and the port id when it sends.
 */
class IpvsCodecTest {
  private static final IpvsCodec C = new IpvsCodec(0x2a);
  private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);

  static String bytes(Consumer<NlWriter> body) {
    NlWriter w = new NlWriter(64);
    body.accept(w);
    ByteBuffer b = w.flip();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return HexFormat.of().formatHex(a);
  }

  static String hdr(int len, int flags, int cmd) {
    return String.format("%02x%02x0000", len & 0xff, len >> 8) + "2a00" + String.format("%02x%02x", flags & 0xff,
        flags >> 8) + "00000000" + "00000000" + String.format("%02x010000", cmd);
  }

  static final String WEB_KEY = "060001000200" + "0000"  // AF_INET
      + "060002000600" + "0000"                           // IPPROTO_TCP
      + "14000300" + "c0a800c8" + "000000000000000000000000" // 16-byte nf_inet_addr
      + "060004000050" + "0000";                          // port 80, big-endian

  @Test
  void newService_plainIpv4_matchesUapiLayout() {
    assertThat(bytes(w -> C.newService(w, IpvsService.of(WEB, Scheduler.RR)))).isEqualTo(
        hdr(104, 0x1, 1) + "54000180" + WEB_KEY
            + "0700060072720000"                   // sched_name "rr\0"
            + "0c000700" + "00000000" + "ffffffff" // struct ip_vs_flags {flags 0, mask ~0}
            + "08000800" + "00000000"              // timeout 0
            + "08000900" + "ffffffff");            // netmask 255.255.255.255 (network order)
  }

  @Test
  void setService_persistentIpv4WithPeAndOnePacket_sendsMaskBytesAndFlags() {
    IpvsService s = new IpvsService(WEB, Scheduler.WLC, Set.of(), Persistence.of(600).withGranularity(24)
        .withEngine("sip"), true);
    assertThat(bytes(w -> C.setService(w, s))).isEqualTo(
        hdr(112, 0x1, 2) + "5c000180" + WEB_KEY
            + "08000600776c6300"                   // "wlc\0"
            + "08000b0073697000"                   // pe_name "sip\0"
            + "0c000700" + "05000000" + "ffffffff" // PERSISTENT | ONEPACKET
            + "08000800" + "58020000"              // 600 s
            + "08000900" + "ffffff00");            // 255.255.255.0 as network-order bytes
  }

  @Test
  void newService_ipv6FwmarkPersistent_sendsPrefixLengthInHostOrder() {
    IpvsService s = new IpvsService(ServiceKey.fwmark(8, Family.INET6), Scheduler.RR, Set.of(),
        Persistence.of(100).withGranularity(64), false);
    assertThat(bytes(w -> C.newService(w, s))).isEqualTo(
        hdr(76, 0x1, 1) + "38000180"
            + "060001000a000000"                   // AF_INET6
            + "0800050008000000"                   // fwmark 8 (no protocol/addr/port)
            + "0700060072720000"
            + "0c000700" + "01000000" + "ffffffff"
            + "08000800" + "64000000"              // 100 s
            + "08000900" + "40000000");            // prefix 64, host order
  }

  @Test
  void delService_getService_zero_sendOnlyTheKey() {
    String body = "30000180" + WEB_KEY;
    assertThat(bytes(w -> C.delService(w, WEB))).isEqualTo(hdr(68, 0x1, 3) + body);
    assertThat(bytes(w -> C.getService(w, WEB))).isEqualTo(hdr(68, 0x1, 4) + body);
    assertThat(bytes(w -> C.zero(w, WEB))).isEqualTo(hdr(68, 0x1, 16) + body);
  }

  @Test
  void headerOnlyCommands_dumpsCarryNlmFDump() {
    assertThat(bytes(C::dumpServices)).isEqualTo(hdr(20, 0x301, 4));
    assertThat(bytes(C::dumpDaemons)).isEqualTo(hdr(20, 0x301, 11));
    assertThat(bytes(C::getConfig)).isEqualTo(hdr(20, 0x1, 13));
    assertThat(bytes(C::getInfo)).isEqualTo(hdr(20, 0x1, 15));
    assertThat(bytes(w -> C.zero(w, null))).isEqualTo(hdr(20, 0x1, 16));
    assertThat(bytes(C::flush)).isEqualTo(hdr(20, 0x1, 17));
  }

  static final String R1 = "14000100" + "c0a8003d" + "000000000000000000000000" // addr 192.168.0.61
      + "060002000050" + "0000"                                              // port 80
      + "06000b000200" + "0000";                                             // addr_family AF_INET

  @Test
  void newDest_directRouting_sendsEveryFullEntryAttribute() {
    IpvsDest d = new IpvsDest(RealServerKey.of("192.168.0.61", 80), Forwarding.DR, 1, 1000, 10);
    assertThat(bytes(w -> C.newDest(w, WEB, d))).isEqualTo(
        hdr(140, 0x1, 5) + "30000180" + WEB_KEY
            + "48000280" + R1
            + "0800030003000000"                   // IP_VS_CONN_F_DROUTE
            + "0800040001000000"                   // weight 1
            + "08000500e8030000"                   // u_threshold 1000
            + "080006000a000000");                 // l_threshold 10
  }

  @Test
  void setDest_gueTunnel_addsTunnelTypePortAndFlags() {
    IpvsDest d = IpvsDest.of(Inet.parse("192.168.0.61"), 80,
        Forwarding.gue(6080).withCsum(Forwarding.TunnelCsum.REMCSUM), 2);
    assertThat(bytes(w -> C.setDest(w, WEB, d))).isEqualTo(
        hdr(164, 0x1, 6) + "30000180" + WEB_KEY
            + "60000280" + R1
            + "0800030002000000"                   // IP_VS_CONN_F_TUNNEL
            + "0800040002000000" + "0800050000000000" + "0800060000000000"
            + "05000d0001000000"                   // tun_type GUE (u8)
            + "06000e0017c00000"                   // tun_port 6080 big-endian
            + "06000f0002000000");                 // tun_flags REMCSUM
  }

  @Test
  void delDest_andDumpDests() {
    assertThat(bytes(w -> C.delDest(w, WEB, RealServerKey.of("192.168.0.61", 80)))).isEqualTo(
        hdr(108, 0x1, 7) + "30000180" + WEB_KEY + "28000280" + R1);
    assertThat(bytes(w -> C.dumpDests(w, WEB))).isEqualTo(hdr(68, 0x301, 8) + "30000180" + WEB_KEY);
  }

  @Test
  void ipv6Dest_sendsSixteenAddressBytesAndAfInet6() {
    String hex = bytes(w -> C.delDest(w, WEB, RealServerKey.of("2001:db8::9", 443)));
    assertThat(hex).endsWith("28000280" + "14000100" + "20010db8000000000000000000000009"
        + "0600020001bb0000" + "06000b000a000000");
  }

  @Test
  void setConfig_sendsThreeTimeoutsAtTopLevel() {
    assertThat(bytes(w -> C.setConfig(w, new IpvsTimeouts(900, 0, 300)))).isEqualTo(
        hdr(44, 0x1, 12) + "0800040084030000" + "0800050000000000" + "080006002c010000");
  }

  @Test
  void newDaemon_withGroupPortTtlAndMaxlen_andDelDaemon() {
    SyncDaemon d = new SyncDaemon(SyncDaemon.Role.BACKUP, "eth1", 7, 1500, Inet.parse("239.1.2.3"), 8849, 2);
    assertThat(bytes(w -> C.newDaemon(w, d))).isEqualTo(
        hdr(84, 0x1, 9) + "40000380"
            + "0800010002000000"                   // state BACKUP
            + "0900020065746831" + "00000000"      // mcast_ifn "eth1\0"
            + "0800030007000000"                   // syncid 7
            + "06000400dc050000"                   // maxlen 1500 (u16)
            + "08000500ef010203"                   // group 239.1.2.3 (in_addr bytes)
            + "06000700" + "9122" + "0000"         // port 8849 = 0x2291 (u16, host order)
            + "0500080002000000");                 // ttl 2
    assertThat(bytes(w -> C.delDaemon(w, SyncDaemon.Role.MASTER))).isEqualTo(
        hdr(32, 0x1, 10) + "0c000380" + "0800010001000000");
  }

  @Test
  void op_dispatchesEachChangeToItsCommand() {
    IpvsService s = IpvsService.of(WEB, Scheduler.RR);
    IpvsDest d = IpvsDest.of(Inet.parse("192.168.0.61"), 80, Forwarding.DR, 1);
    assertThat(bytes(w -> C.op(w, new IpvsOp.AddService(s)))).isEqualTo(bytes(w -> C.newService(w, s)));
    assertThat(bytes(w -> C.op(w, new IpvsOp.UpdateService(s)))).isEqualTo(bytes(w -> C.setService(w, s)));
    assertThat(bytes(w -> C.op(w, new IpvsOp.DeleteService(WEB)))).isEqualTo(bytes(w -> C.delService(w, WEB)));
    assertThat(bytes(w -> C.op(w, new IpvsOp.AddDest(WEB, d)))).isEqualTo(bytes(w -> C.newDest(w, WEB, d)));
    assertThat(bytes(w -> C.op(w, new IpvsOp.UpdateDest(WEB, d)))).isEqualTo(bytes(w -> C.setDest(w, WEB, d)));
    assertThat(bytes(w -> C.op(w, new IpvsOp.DeleteDest(WEB, d.key()))))
        .isEqualTo(bytes(w -> C.delDest(w, WEB, d.key())));
  }
}

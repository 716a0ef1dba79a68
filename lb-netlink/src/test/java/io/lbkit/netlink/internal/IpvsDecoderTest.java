package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.net.Inet;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kernel replies by bytes, written from the uapi layout and ip_vs_ctl.c's fill functions (little-endian). */
class IpvsDecoderTest {

  /** A reply message: header (length filled in), genl header for {@code cmd}, then {@code attrs}. */
  static ByteBuffer reply(int cmd, String attrs) {
    byte[] a = HexFormat.of().parseHex(("00000000" + "2a00" + "0200" + "01000000" + "00000000"
        + String.format("%02x010000", cmd) + attrs).replace(" ", ""));
    ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
    b.putInt(0, a.length);
    return b;
  }

  static final String STATS32 = "0800010005000000" + "0800020007000000" + "0800030003000000"
      + "0c000400" + "e803000000000000" + "0c000500" + "d007000000000000";

  /** A nested attribute (NLA_F_NESTED) around {@code inner}; the length is counted, the bytes are not. */
  static String nest(int type, String inner) {
    int len = 4 + inner.replace(" ", "").length() / 2;
    return String.format("%02x%02x%02x%02x", len & 0xff, len >> 8, type, 0x80) + inner;
  }

  static final String SERVICE_BASE = "060001000200" + "0000" + "060002000600" + "0000"
      + "14000300" + "c0a800c8" + "000000000000000000000000" + "060004000050" + "0000"
      + "08000600776c6300"                       // "wlc"
      + "0c000700" + "02000000" + "ffffffff"     // flags HASHED only: not a user flag
      + "08000800" + "00000000" + "08000900" + "ffffffff";

  static final String SERVICE_ATTRS = SERVICE_BASE
      + "08003000" + "deadbeef"                  // an attribute type from a future kernel
      + nest(10, STATS32)                        // STATS: u32 counters, u64 bytes
      + nest(12, "04000b00"                      // STATS64, led by an empty IPVS_STATS_ATTR_PAD
          + "0c00010006000000" + "00000000"
          + "0c00040000000000" + "01000000"      // 2^32 bytes in: only STATS64 can say it
          + "0c00060009000000" + "00000000"
          + "0c000a000a000000" + "00000000");

  @Test
  void service_plainIpv4WithStatsAndStats64_prefersStats64_dropsHashed_skipsUnknown() throws Exception {
    ByteBuffer b = reply(1, nest(1, SERVICE_ATTRS));
    ServiceSnapshot s = IpvsDecoder.service(b, 0, b.limit());
    assertThat(s.service()).isEqualTo(IpvsService.of(ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80),
        Scheduler.WLC));
    assertThat(s.service().flags()).isZero();
    assertThat(s.stats()).isEqualTo(new IpvsStats(6, 0, 0, 1L << 32, 0, 9, 0, 0, 0, 10));
  }

  @Test
  void service_onlyStats32_readsItsMixedWidths() throws Exception {
    ByteBuffer b = reply(1, nest(1, SERVICE_BASE + nest(10, STATS32)));
    assertThat(IpvsDecoder.service(b, 0, b.limit()).stats())
        .isEqualTo(new IpvsStats(5, 7, 3, 1000, 2000, 0, 0, 0, 0, 0));
  }

  @Test
  void service_persistentIpv6Fwmark_readsPrefixAndEngine() throws Exception {
    ByteBuffer b = reply(1, nest(1, "060001000a000000" + "0800050008000000" + "0700060072720000"
        + "08000b0073697000" + "0c000700" + "03000000" + "ffffffff" + "0800080064000000" + "0800090040000000"));
    assertThat(IpvsDecoder.service(b, 0, b.limit()).service()).isEqualTo(new IpvsService(
        ServiceKey.fwmark(8, Family.INET6), Scheduler.RR, Set.of(),
        Persistence.of(100).withGranularity(64).withEngine("sip"), false));
  }

  @Test
  void service_ipv4MaskBytes_becomePrefix24() throws Exception {
    String attrs = SERVICE_BASE
        .replace("0c000700" + "02000000", "0c000700" + "03000000")
        .replace("08000800" + "00000000", "08000800" + "58020000")
        .replace("08000900" + "ffffffff", "08000900" + "ffffff00");
    ByteBuffer b = reply(1, nest(1, attrs));
    assertThat(IpvsDecoder.service(b, 0, b.limit()).service().persistence())
        .isEqualTo(Persistence.of(600).withGranularity(24));
  }

  @Test
  void service_truncatedOrMalformedOrMissing_isProtocolException() {
    ByteBuffer shortMsg = reply(1, "");
    assertThatThrownBy(() -> IpvsDecoder.service(shortMsg, 0, 12)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("shorter than its headers");
    ByteBuffer noService = reply(1, "0800040084030000");
    assertThatThrownBy(() -> IpvsDecoder.service(noService, 0, noService.limit()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("service attribute");
    ByteBuffer badLen = reply(1, "10000180" + "0600010002000000" + "ff000200");
    assertThatThrownBy(() -> IpvsDecoder.service(badLen, 0, badLen.limit())).isInstanceOf(ProtocolException.class);
    ByteBuffer shortAddr = reply(1, "1c000180" + "0600010002000000" + "0600020006000000" + "06000300c0a80000");
    assertThatThrownBy(() -> IpvsDecoder.service(shortAddr, 0, shortAddr.limit()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("too short");
    ByteBuffer badAf = reply(1, "0c000180" + "0600010007000000");
    assertThatThrownBy(() -> IpvsDecoder.service(badAf, 0, badAf.limit()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("family");
  }

  @Test
  void dest_tunnelWithCounters_andAddressFamily() throws Exception {
    ByteBuffer b = reply(5, nest(2, "14000100" + "20010db8000000000000000000000009" + "06000200" + "01bb0000"
        + "0800030002000000" + "0800040005000000" + "08000500" + "64000000" + "08000600" + "0a000000"
        + "0800070003000000" + "0800080004000000" + "0800090001000000"
        + "06000b000a000000" + "05000d0002000000" + "06000e0000000000" + "06000f0001000000"));
    ServiceSnapshot.DestSnapshot d = IpvsDecoder.dest(b, 0, b.limit(), Family.INET);
    assertThat(d.dest()).isEqualTo(new IpvsDest(RealServerKey.of("2001:db8::9", 443),
        Forwarding.gre().withCsum(Forwarding.TunnelCsum.CSUM), 5, 100, 10));
    assertThat(new long[] {d.activeConns(), d.inactiveConns(), d.persistentConns()}).containsExactly(3, 4, 1);
  }

  @Test
  void dest_withoutAddrFamily_usesTheServicesFamily() throws Exception {
    ByteBuffer b = reply(5, nest(2, "14000100" + "c0a8003d000000000000000000000000" + "0600020000500000"
        + "0800030003000000" + "0800040001000000"));
    assertThat(IpvsDecoder.dest(b, 0, b.limit(), Family.INET).dest())
        .isEqualTo(IpvsDest.of(Inet.parse("192.168.0.61"), 80, Forwarding.DR, 1));
  }

  @Test
  void dest_truncatedMalformedOrMissing_isProtocolExceptionNamingIt() {
    String addr = "14000100" + "c0a8003d000000000000000000000000";
    ByteBuffer noDest = reply(5, "0800040084030000");
    assertThatThrownBy(() -> IpvsDecoder.dest(noDest, 0, noDest.limit(), Family.INET))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("destination attribute");
    ByteBuffer noWeight = reply(5, nest(2, addr + "0600020000500000" + "0800030003000000"));
    assertThatThrownBy(() -> IpvsDecoder.dest(noWeight, 0, noWeight.limit(), Family.INET))
        .isInstanceOf(ProtocolException.class).hasMessage("netlink attribute 4 missing");
    ByteBuffer shortWeight = reply(5, nest(2, addr + "0600020000500000" + "0800030003000000" + "0600040001000000"));
    assertThatThrownBy(() -> IpvsDecoder.dest(shortWeight, 0, shortWeight.limit(), Family.INET))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("attribute 4 too short: 2 bytes, need 4");
    ByteBuffer overrun = reply(5, nest(2, addr + "0600020000500000" + "ff000300" + "03000000"));
    assertThatThrownBy(() -> IpvsDecoder.dest(overrun, 0, overrun.limit(), Family.INET))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed netlink attribute at offset");
    ByteBuffer shortV6 = reply(5, nest(2, "08000100" + "c0a8003d" + "0600020000500000" + "0800030003000000"
        + "0800040001000000" + "06000b000a000000"));
    assertThatThrownBy(() -> IpvsDecoder.dest(shortV6, 0, shortV6.limit(), Family.INET))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("4 bytes for INET6");
  }

  @Test
  void dest_stats64WinsOverStats_unknownSkipped_repeatedKeepsLast_anyBufferOrder() throws Exception {
    String body = "14000100" + "c0a8003d000000000000000000000000" + "0600020000500000" + "0800030003000000"
        + "0800040001000000" + "0800040007000000" // weight sent twice: the last one counts
        + "08003000" + "deadbeef"               // a future kernel's attribute
        + nest(10, STATS32)
        + nest(12, "04000b00" + "0c00010006000000" + "00000000" + "0c00040000000000" + "01000000");
    ByteBuffer b = reply(5, nest(2, body));
    ServiceSnapshot.DestSnapshot d = IpvsDecoder.dest(b, 0, b.limit(), Family.INET);
    assertThat(d.dest()).isEqualTo(IpvsDest.of(Inet.parse("192.168.0.61"), 80, Forwarding.DR, 7));
    assertThat(d.stats()).isEqualTo(new IpvsStats(6, 0, 0, 1L << 32, 0, 0, 0, 0, 0, 0));
    ByteBuffer bigEndianView = b.duplicate().order(ByteOrder.BIG_ENDIAN);
    assertThat(IpvsDecoder.dest(bigEndianView, 0, b.limit(), Family.INET)).isEqualTo(d);
    ByteBuffer only32 = reply(5, nest(2, "14000100" + "c0a8003d000000000000000000000000" + "0600020000500000"
        + "0800030003000000" + "0800040001000000" + nest(10, STATS32)));
    assertThat(IpvsDecoder.dest(only32, 0, only32.limit(), Family.INET).stats())
        .isEqualTo(new IpvsStats(5, 7, 3, 1000, 2000, 0, 0, 0, 0, 0));
  }

  @Test
  void dest_unknownForwardingMethod_isKeptWithItsCode() throws Exception {
    ByteBuffer b = reply(5, nest(2, "14000100" + "c0a8003d000000000000000000000000" + "0600020000500000"
        + "0800030007000000" + "0800040001000000"));
    Forwarding.Method m = IpvsDecoder.dest(b, 0, b.limit(), Family.INET).dest().forwarding().method();
    assertThat(m.code()).isEqualTo(7);
    assertThat(m.isKnown()).isFalse();
  }

  @Test
  void info_config_daemon_replies() throws Exception {
    ByteBuffer info = reply(14, "0800010001020100" + "0800020000100000");
    assertThat(IpvsDecoder.info(info, 0, info.limit())).isEqualTo(new IpvsInfo(0x010201, 4096));
    ByteBuffer cfg = reply(12, "0800040084030000" + "0800050078000000" + "080006002c010000");
    assertThat(IpvsDecoder.timeouts(cfg, 0, cfg.limit())).isEqualTo(IpvsTimeouts.LINUX_DEFAULT);
    ByteBuffer d = reply(9, nest(3, "0800010001000000" + "0900020065746831" + "00000000" + "0800030007000000"
        + "06000400dc050000" + "08000500e0000051" + "0600070090220000" + "0500080001000000"));
    assertThat(IpvsDecoder.daemon(d, 0, d.limit())).isEqualTo(new SyncDaemon(SyncDaemon.Role.MASTER, "eth1", 7, 1500,
        Inet.parse("224.0.0.81"), 8848, 1));
  }
}

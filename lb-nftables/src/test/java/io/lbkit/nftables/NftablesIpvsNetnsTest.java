package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: NftablesIpvs against the real kernel in a fresh namespace, with {@code nft}
 * as the oracle: what lbkit writes, nft lists as the documented ruleset; what lbkit wrote,
 * lbkit reads back; a restart with the same table writes nothing.
 */
class NftablesIpvsNetnsTest {
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  static final RealServerKey R1 = RealServerKey.of("198.51.100.61", 8080);
  static final RealServerKey R2 = RealServerKey.of("198.51.100.62", 8080);
  private NetNs ns;

  @BeforeEach
  void namespace() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    ns = NetNs.create();
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  /** The table with rule handles: a rewrite of any rule (the skeleton's included) changes them. */
  private String withHandles() {
    return ns.run("nft", "-a", "list", "table", "inet", "lbkit");
  }

  @Test
  void wrrService_nftListsTheDocumentedRuleset_andLbkitReadsItBack() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      ipvs.apply(List.of(new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.WRR)),
          new IpvsOp.AddDest(WEB, IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 2)),
          new IpvsOp.AddDest(WEB, IpvsDest.of(R2.address(), 8080, Forwarding.NAT, 1))));
      String listed = ns.run("nft", "list", "table", "inet", "lbkit");
      assertThat(listed)
          .contains("elements = { 192.0.2.200 . tcp . 80 : goto svc_tcp_192.0.2.200_80 }")
          .contains("192.0.2.200 . tcp . 80 . 198.51.100.61 . 8080 : 0x00000002")
          .contains("192.0.2.200 . tcp . 80 . 198.51.100.62 . 8080 : 0x00000001")
          .contains("elements = { 0 : 198.51.100.61 . 8080, 1 : 198.51.100.61 . 8080,")
          .contains("2 : 198.51.100.62 . 8080 }")
          .contains("meta l4proto tcp dnat ip to numgen inc mod 3 map @slots_tcp_192.0.2.200_80 comment \"wrr\"")
          .contains("ip daddr . meta l4proto . th dport vmap @services4");
      List<ServiceSnapshot> s = ipvs.services();
      assertThat(s).hasSize(1);
      assertThat(s.get(0).service()).isEqualTo(IpvsService.of(WEB, Scheduler.WRR));
      assertThat(s.get(0).dests()).extracting(ServiceSnapshot.DestSnapshot::dest).containsExactly(
          IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 2), IpvsDest.of(R2.address(), 8080, Forwarding.NAT, 1));
    }
    String before = withHandles();
    try (NftablesIpvs again = NftablesIpvs.open(ns.name())) {
      assertThat(again.services()).hasSize(1);
    }
    assertThat(withHandles()).as("reopening an intact table writes nothing").isEqualTo(before);
  }

  @Test
  void weightZero_takesTheServerOutOfTheSlots_andAllZeroRejects() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
      ipvs.addDest(WEB, IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 1));
      ipvs.addDest(WEB, IpvsDest.of(R2.address(), 8080, Forwarding.NAT, 1));
      ipvs.updateDest(WEB, IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 0));
      String listed = ns.run("nft", "list", "table", "inet", "lbkit");
      assertThat(listed).contains("elements = { 0 : 198.51.100.62 . 8080 }").contains("numgen inc mod 1 map");
      ipvs.updateDest(WEB, IpvsDest.of(R2.address(), 8080, Forwarding.NAT, 0));
      assertThat(ns.run("nft", "list", "chain", "inet", "lbkit", "svc_tcp_192.0.2.200_80"))
          .contains("reject comment \"rr\"");
      assertThat(ipvs.services().get(0).dests()).extracting(d -> d.dest().weight()).containsExactly(0, 0);
    }
  }

  @Test
  void shAndDh_hashTheClientOrDestinationAddress_withAFixedSeed_andReadBack() throws Exception {
    ServiceKey v6 = ServiceKey.of(Protocol.TCP, Inet.parse("2001:db8::1"), 443);
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.SH));
      ipvs.addDest(WEB, IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 2));
      ipvs.addDest(WEB, IpvsDest.of(R2.address(), 8080, Forwarding.NAT, 1));
      ipvs.addService(IpvsService.of(v6, Scheduler.DH));
      ipvs.addDest(v6, IpvsDest.of(Inet.parse("2001:db8::61"), 8443, Forwarding.NAT, 1));
      assertThat(ns.run("nft", "list", "chain", "inet", "lbkit", "svc_tcp_192.0.2.200_80"))
          .contains("meta l4proto tcp dnat ip to jhash ip saddr mod 3 seed 0x6c626b74 map @slots_tcp_192.0.2.200_80 "
              + "comment \"sh\"");
      assertThat(ns.run("nft", "list", "chain", "inet", "lbkit", "svc_tcp_2001-db8--1_443"))
          .contains("meta l4proto tcp dnat ip6 to jhash ip6 daddr mod 1 seed 0x6c626b74 map @slots_tcp_2001-db8--1_443 "
              + "comment \"dh\"");
      assertThat(ipvs.services()).extracting(ServiceSnapshot::service)
          .containsExactly(IpvsService.of(WEB, Scheduler.SH), IpvsService.of(v6, Scheduler.DH));
    }
    String before = withHandles();
    try (NftablesIpvs again = NftablesIpvs.open(ns.name())) {
      again.updateService(IpvsService.of(WEB, Scheduler.SH)); // the same: nothing to write
      assertThat(again.services()).hasSize(2);
    }
    assertThat(withHandles()).as("an unchanged sh/dh table reads back as written: no rewrite").isEqualTo(before);
  }

  @Test
  void schedulerNeedingConnectionCounts_isRefusedNamingTheServiceAndReason() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      KernelException e = assertThrows(KernelException.class,
          () -> ipvs.addService(IpvsService.of(WEB, Scheduler.WLC)));
      assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
      assertThat(e.getMessage()).contains("TCP 192.0.2.200:80").contains("wlc").contains("connection counts");
      assertThat(ipvs.services()).isEmpty();
    }
  }

  @Test
  void deleteService_removesEveryObjectOfIt() throws Exception {
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
      ipvs.addDest(WEB, IpvsDest.of(R1.address(), 8080, Forwarding.NAT, 1));
      ipvs.deleteService(WEB);
      String listed = ns.run("nft", "list", "table", "inet", "lbkit");
      assertThat(listed).doesNotContain("svc_").doesNotContain("slots_").doesNotContain("198.51.100.61");
      assertThat(ipvs.services()).isEmpty();
    }
  }
}

package io.lbkit.nftables;

import io.lbkit.harness.netns.NatTopology;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.List;

/**
 * netns tier: real HTTP through the nftables dataplane moves the counters of the real server
 * that served it, in and out, and of its service (their sum); an idle real server stays at 0;
 * a weight change keeps them; zero() resets them; a restart reads them back; and a counters part
 * deleted behind lbkit's back comes back, elements included, when lbkit opens the table.
 */
class NftablesCountersNetnsTest {
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse(NatTopology.VIP), 80);

  @BeforeEach
  void needs() {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    Tiers.requireProgram("curl");
    Tiers.requireProgram("python3");
  }

  @Test
  void httpThroughTheVip_movesTheServingRealServersCounters_andZeroResetsThem() throws Exception {
    try (NatTopology net = new NatTopology();
        NftablesIpvs ipvs = NftablesIpvs.open(net.director.name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.WRR));
      ipvs.addDest(WEB, IpvsDest.of(Inet.parse(NatTopology.RS), 8080, Forwarding.NAT, 1));
      ipvs.addDest(WEB, IpvsDest.of(Inet.parse("10.8.2.9"), 8080, Forwarding.NAT, 0)); // takes nothing
      for (int i = 0; i < 3; i++) {
        assertThat(net.get()).contains("Directory listing");
      }
      ServiceSnapshot s = ipvs.services().get(0);
      IpvsStats rs = s.dests().get(0).stats();
      // 3 connections: at least SYN, ACK, request, FIN, ACK in and SYN-ACK, response, FIN out each
      assertThat(rs.inPackets()).isGreaterThanOrEqualTo(3 * 4);
      assertThat(rs.outPackets()).isGreaterThanOrEqualTo(3 * 3);
      assertThat(rs.outBytes()).as("responses are bigger than requests").isGreaterThan(rs.inBytes());
      assertThat(rs.inBytes()).isGreaterThan(rs.inPackets() * 40); // an IPv4 + TCP header each
      assertThat(s.dests().get(1).stats()).isEqualTo(IpvsStats.ZERO);
      assertThat(s.stats()).isEqualTo(rs);
      assertThat(net.director.run("nft", "list", "set", "inet", "lbkit", "stats4"))
          .contains("192.0.2.200 . tcp . 10.8.2.2 . 8080 . original counter packets " + rs.inPackets()
              + " bytes " + rs.inBytes());

      ipvs.updateDest(WEB, IpvsDest.of(Inet.parse(NatTopology.RS), 8080, Forwarding.NAT, 2));
      assertThat(ipvs.services().get(0).dests().get(0).stats()).as("a weight change keeps the counters")
          .isEqualTo(rs);
      try (NftablesIpvs again = NftablesIpvs.open(net.director.name())) {
        assertThat(again.services().get(0).stats()).as("read back after a restart").isEqualTo(rs);
      }
      // the counters part deleted behind lbkit's back: reopening repairs it, elements included
      net.director.run("nft", "delete chain inet lbkit stats_prerouting; delete chain inet lbkit stats_output; "
          + "delete set inet lbkit stats4");
      try (NftablesIpvs again = NftablesIpvs.open(net.director.name())) {
        assertThat(again.services().get(0).dests()).hasSize(2);
      }
      assertThat(net.director.run("nft", "list", "table", "inet", "lbkit")).contains("chain stats_prerouting")
          .contains("192.0.2.200 . tcp . 10.8.2.9 . 8080 . reply counter packets 0 bytes 0");
      assertThat(net.get()).contains("Directory listing");
      assertThat(ipvs.services().get(0).stats().inPackets()).as("counting again").isGreaterThanOrEqualTo(4);
      ipvs.zero(WEB);
      assertThat(ipvs.services().get(0).stats()).isEqualTo(IpvsStats.ZERO);
      assertThat(net.get()).contains("Directory listing");
      assertThat(ipvs.services().get(0).dests().get(0).stats().inPackets()).isBetween(4L, rs.inPackets());
      assertThat(ipvs.services().get(0).dests().get(1).stats()).isEqualTo(IpvsStats.ZERO);
    }
  }

  @Test
  void services_unchangedCounters_sameObjects_changedService_newValues_anotherPortOfTheVipShares() throws Exception {
    ServiceKey other = ServiceKey.of(Protocol.TCP, Inet.parse(NatTopology.VIP), 81); // same VIP, its own port
    ServiceKey idle = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.201"), 80);
    try (NatTopology net = new NatTopology();
        NftablesIpvs ipvs = NftablesIpvs.open(net.director.name())) {
      for (ServiceKey k : List.of(WEB, other, idle)) {
        ipvs.addService(IpvsService.of(k, Scheduler.WRR));
        ipvs.addDest(k, IpvsDest.of(Inet.parse(NatTopology.RS), 8080, Forwarding.NAT, 1));
      }
      List<ServiceSnapshot> first = ipvs.services();
      assertThat(ipvs.services()).as("no traffic: the last read").isSameAs(first);
      assertThat(net.get()).contains("Directory listing");
      List<ServiceSnapshot> second = ipvs.services();
      assertThat(second).isNotSameAs(first);
      IpvsStats rs = byKey(second, WEB).dests().get(0).stats();
      assertThat(rs.inPackets()).isGreaterThanOrEqualTo(4);
      assertThat(byKey(second, other).dests().get(0).stats()).as("counters are per VIP, protocol and real server")
          .isEqualTo(rs);
      assertThat(byKey(second, idle)).as("no traffic to this one: the same object").isSameAs(byKey(first, idle));
      assertThat(net.get()).contains("Directory listing");
      List<ServiceSnapshot> third = ipvs.services();
      assertThat(byKey(third, WEB).stats().inPackets()).isGreaterThan(rs.inPackets());
      ipvs.deleteDest(idle, RealServerKey.of(NatTopology.RS, 8080));
      assertThat(byKey(ipvs.services(), idle).dests()).as("a change of the table is read").isEmpty();
      net.director.run("nft", "delete element inet lbkit stats4 { 192.0.2.200 . tcp . 10.8.2.2 . 8080 . original }");
      assertThat(byKey(ipvs.services(), WEB).dests().get(0).stats().inPackets())
          .as("a counter deleted behind lbkit's back reads 0").isZero();
    }
  }

  private static ServiceSnapshot byKey(List<ServiceSnapshot> all, ServiceKey k) {
    return all.stream().filter(s -> s.key().equals(k)).findFirst().orElseThrow();
  }
}

package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.nftables.internal.Maglev;
import io.lbkit.nftables.internal.SlotLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: an mh service's slots map, as nft lists it, is the Maglev table of its real
 * servers; mh-port hashes the source port too; a restart writes nothing; a weight change
 * rewrites only the slots that change owner.
 */
class NftablesMhNetnsTest {
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  static final Pattern ELEM = Pattern.compile("(\\d+) : (198\\.51\\.100\\.\\d+) \\. (\\d+)");
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

  private Map<Integer, RealServerKey> slots() {
    String listed = ns.run("nft", "list", "map", "inet", "lbkit", "slots_tcp_192.0.2.200_80");
    Map<Integer, RealServerKey> out = new HashMap<>();
    Matcher m = ELEM.matcher(listed);
    while (m.find()) {
      out.put(Integer.parseInt(m.group(1)), RealServerKey.of(m.group(2), Integer.parseInt(m.group(3))));
    }
    return out;
  }

  private static Map<Integer, RealServerKey> expected(Map<RealServerKey, Integer> weights) {
    List<RealServerKey> l = SlotLayout.of(Scheduler.MH, new TreeMap<>(weights));
    Map<Integer, RealServerKey> out = new HashMap<>();
    for (int i = 0; i < l.size(); i++) {
      out.put(i, l.get(i));
    }
    return out;
  }

  @Test
  void mhSlotsMap_isTheMaglevTable_restartWritesNothing_andAWeightChangeMovesOnlyChangedSlots() throws Exception {
    Map<RealServerKey, Integer> w = new HashMap<>(Map.of(RealServerKey.of("198.51.100.61", 8080), 1,
        RealServerKey.of("198.51.100.62", 8080), 2, RealServerKey.of("198.51.100.63", 8080), 1));
    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      ipvs.addService(IpvsService.of(WEB, Scheduler.MH));
      for (Map.Entry<RealServerKey, Integer> e : w.entrySet()) {
        ipvs.addDest(WEB, IpvsDest.of(e.getKey().address(), e.getKey().port(), Forwarding.NAT, e.getValue()));
      }
      assertThat(slots()).hasSize(Maglev.TABLE_SIZE).isEqualTo(expected(w));
      assertThat(ns.run("nft", "list", "chain", "inet", "lbkit", "svc_tcp_192.0.2.200_80")).contains(
          "meta l4proto tcp dnat ip to jhash ip saddr mod 4093 seed 0x6c626b74 map @slots_tcp_192.0.2.200_80 "
              + "comment \"mh\"");
    }
    String before = ns.run("nft", "-a", "list", "table", "inet", "lbkit");
    try (NftablesIpvs again = NftablesIpvs.open(ns.name())) {
      assertThat(again.services().get(0).service()).isEqualTo(IpvsService.of(WEB, Scheduler.MH));
    }
    assertThat(ns.run("nft", "-a", "list", "table", "inet", "lbkit")).as("restart writes nothing").isEqualTo(before);

    try (NftablesIpvs ipvs = NftablesIpvs.open(ns.name())) {
      Map<Integer, RealServerKey> old = slots();
      w.put(RealServerKey.of("198.51.100.63", 8080), 2);
      ipvs.updateDest(WEB, IpvsDest.of(Inet.parse("198.51.100.63"), 8080, Forwarding.NAT, 2));
      Map<Integer, RealServerKey> now = slots();
      assertThat(now).isEqualTo(expected(w));
      long moved = now.keySet().stream().filter(i -> !now.get(i).equals(old.get(i))).count();
      // 1:2:1 -> 1:2:2: .63 goes from a quarter to two fifths of the slots
      assertThat(moved).isBetween(500L, 1000L);

      IpvsService port = new IpvsService(WEB, Scheduler.MH, Set.of(SchedulerFlag.MH_PORT), null, false);
      ipvs.updateService(port);
      assertThat(ns.run("nft", "list", "chain", "inet", "lbkit", "svc_tcp_192.0.2.200_80"))
          .contains("jhash ip saddr . tcp sport mod 4093 seed 0x6c626b74").contains("comment \"mh mh-port\"");
      assertThat(ipvs.services().get(0).service()).isEqualTo(port);
      assertThat(slots()).as("the flag changes the hash, not the table").isEqualTo(expected(w));
    }
  }
}

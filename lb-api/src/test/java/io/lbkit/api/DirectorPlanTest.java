package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.net.Inet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Director#plan}: the changes a first setServices would make, computed without any IPVS. */
class DirectorPlanTest {
  static final RealServer R61 = RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure();
  static final RealServer R62 = RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure();
  static final VirtualService SEED = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(R61, R62);
  static final ServiceKey OTHER = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.201"), 443);

  static List<String> rules(List<IpvsOp> ops) {
    return ops.stream().map(Object::toString).toList();
  }

  static ServiceSnapshot snapshot(IpvsService s, IpvsDest... dests) {
    return new ServiceSnapshot(s, IpvsStats.ZERO,
        java.util.Arrays.stream(dests).map(ServiceSnapshot.DestSnapshot::idle).toList());
  }

  static IpvsDest dest(String ip, int weight) {
    return IpvsDest.of(Inet.parse(ip), 80, Forwarding.DR, weight);
  }

  @Test
  void plan_emptyTable_addsTheServiceThenItsDestinations() {
    assertThat(rules(Director.plan(List.of(), List.of(SEED), false))).containsExactly("-A -t 192.168.0.200:80 -s rr",
        "-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1", "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 1");
  }

  @Test
  void plan_tableAlreadyRight_isEmpty() {
    ServiceSnapshot now = snapshot(SEED.toIpvsService(), dest("192.168.0.62", 1), dest("192.168.0.61", 1));
    assertThat(Director.plan(List.of(now), List.of(SEED), false)).isEmpty();
  }

  @Test
  void plan_changedWeightAndExtraDest_updatesInPlaceAndDeletesOnlyTheExtra() {
    ServiceSnapshot now = snapshot(SEED.toIpvsService(), dest("192.168.0.61", 5), dest("192.168.0.63", 1),
        dest("192.168.0.62", 1));
    assertThat(rules(Director.plan(List.of(now), List.of(SEED), false))).containsExactly(
        "-d -t 192.168.0.200:80 -r 192.168.0.63:80", "-e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1");
  }

  @Test
  void plan_unmanagedService_isLeftAlone_unlessPurging() {
    ServiceSnapshot other = snapshot(IpvsService.of(OTHER, Scheduler.WRR));
    assertThat(rules(Director.plan(List.of(other), List.of(), false))).isEmpty();
    assertThat(rules(Director.plan(List.of(other), List.of(), true))).containsExactly("-D -t 192.168.0.201:443");
  }

  @Test
  void plan_alphaService_addsItsServersAtWeightZero() {
    VirtualService alpha = SEED.alpha(true);
    assertThat(rules(Director.plan(List.of(), List.of(alpha), false))).containsExactly("-A -t 192.168.0.200:80 -s rr",
        "-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0", "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 0");
  }

  @Test
  void plan_sameServiceTwice_isRefused() {
    assertThatThrownBy(() -> Director.plan(List.of(), List.of(SEED, SEED), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
  }
}

package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.ServiceView;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Director's incremental paths: a spec applied again with few changes, reordered, shrunk and grown. */
class DirectorIncrementalTest {
  static final RealServer R61 = RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure();
  static final RealServer R62 = RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure();
  static final VirtualService A = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(R61, R62);
  static final VirtualService B = VirtualService.tcp("192.168.0.201", 80).rr().dr().add(R61);
  static final VirtualService C = VirtualService.tcp("192.168.0.202", 80).rr().dr().add(R62);

  final FakeIpvs ipvs = new FakeIpvs();
  final Director d = Director.create(ipvs);

  private static List<String> rules(Reconciliation r) {
    return r.applied().stream().map(Object::toString).toList();
  }

  @Test
  void sameKeys_realServerRemovedWhileDown_comesBackFreshAndUp() throws Exception {
    d.setServices(List.of(A, B));
    d.onHealth(HealthEvent.down(A.key(), R61.key(), "refused"));
    VirtualService aWithout61 = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(R62);
    assertThat(rules(d.setServices(List.of(aWithout61, B))))
        .containsExactly("-d -t 192.168.0.200:80 -r 192.168.0.61:80");
    assertThat(rules(d.setServices(List.of(A, B))))
        .containsExactly("-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1");
    assertThat(d.view().get(0).reals().get(0)).isEqualTo(new ServiceView.RealView(R61.key(), true, 1, ""));
  }

  @Test
  void equalButNotIdenticalService_isNoChange_andOneEditedServiceIsOneOperation() throws Exception {
    d.setServices(List.of(A, B, C));
    VirtualService sameAsB = VirtualService.tcp("192.168.0.201", 80).rr().dr().add(R61);
    assertThat(d.setServices(List.of(A, sameAsB, C)).applied()).isEmpty();
    assertThat(rules(d.setServices(List.of(A, B.wlc(), C)))).containsExactly("-E -t 192.168.0.201:80 -s wlc");
    assertThat(d.services()).containsExactly(A, B.wlc(), C);
  }

  @Test
  void reorderedServices_isNoChange_andViewFollowsTheNewOrder() throws Exception {
    d.setServices(List.of(A, B, C));
    assertThat(d.setServices(List.of(C, A, B)).applied()).isEmpty();
    assertThat(d.view().stream().map(ServiceView::key).toList()).containsExactly(C.key(), A.key(), B.key());
  }

  @Test
  void removedThenReaddedService_isDeletedThenAdded_andClearDeletesEveryManagedOne() throws Exception {
    d.setServices(List.of(A, B));
    assertThat(rules(d.setServices(List.of(A)))).containsExactly("-D -t 192.168.0.201:80");
    assertThat(rules(d.setServices(List.of(A, B)))).containsExactly("-A -t 192.168.0.201:80 -s rr",
        "-a -t 192.168.0.201:80 -r 192.168.0.61:80 -g -w 1");
    assertThat(rules(d.clear())).containsExactlyInAnyOrder("-D -t 192.168.0.200:80", "-D -t 192.168.0.201:80");
    assertThat(ipvs.services()).isEmpty();
  }

  @Test
  void healthEvent_inOneOfManyServices_touchesOnlyThatService() throws Exception {
    d.setServices(List.of(A, B, C));
    assertThat(rules(d.onHealth(HealthEvent.down(B.key(), R61.key(), "refused"))))
        .containsExactly("-e -t 192.168.0.201:80 -r 192.168.0.61:80 -g -w 0");
    // a later edit of another service keeps B's verdict
    assertThat(rules(d.setServices(List.of(A.wlc(), B, C)))).containsExactly("-E -t 192.168.0.200:80 -s wlc");
    assertThat(d.view().get(1).reals().get(0).up()).isFalse();
  }
}

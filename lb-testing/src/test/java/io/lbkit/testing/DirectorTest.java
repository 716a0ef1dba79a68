package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Director;
import io.lbkit.api.Forwarding;
import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceView;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.UnknownSchedulerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectorTest {
  static final RealServer R61 = RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure();
  static final RealServer R62 = RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure();
  static final VirtualService SEED = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(R61, R62);
  static final ServiceKey KEY = SEED.key();

  final FakeIpvs ipvs = new FakeIpvs();

  private static List<String> rules(Reconciliation r) {
    return r.applied().stream().map(Object::toString).toList();
  }

  @Test
  void setServices_onEmptyKernel_addsServiceThenDestinations() throws Exception {
    Reconciliation r = Director.create(ipvs).setServices(List.of(SEED));
    assertThat(rules(r)).containsExactly("-A -t 192.168.0.200:80 -s rr",
        "-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1", "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 1");
    assertThat(r.isClean()).isTrue();
  }

  @Test
  void restart_withSameDesiredState_issuesNoOperation() throws Exception {
    Director.create(ipvs).setServices(List.of(SEED));
    ipvs.clearLog();
    Reconciliation r = Director.create(ipvs).setServices(List.of(SEED));
    assertThat(r.applied()).isEmpty();
    assertThat(ipvs.log()).isEmpty();
  }

  @Test
  void changedScheduler_isUpdatedInPlace_neverRecreated() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    Reconciliation r = d.setServices(List.of(SEED.wlc()));
    assertThat(rules(r)).containsExactly("-E -t 192.168.0.200:80 -s wlc");
  }

  @Test
  void changedWeightAndForwarding_areUpdatedInPlace() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    Reconciliation r = d.setServices(List.of(SEED.put(R61.weight(5)).put(R62.forwarding(Forwarding.TUN))));
    assertThat(rules(r)).containsExactly("-e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 5",
        "-e -t 192.168.0.200:80 -r 192.168.0.62:80 -i -w 1 --tun-type ipip");
  }

  @Test
  void removedRealServer_andRemovedService_areDeleted() throws Exception {
    Director d = Director.create(ipvs);
    VirtualService dns = VirtualService.udp("192.168.0.200", 53).add(RealServer.of("192.168.0.61", 53));
    d.setServices(List.of(SEED, dns));
    assertThat(rules(d.setServices(List.of(SEED.remove(R62.key()))))).containsExactly(
        "-d -t 192.168.0.200:80 -r 192.168.0.62:80", "-D -u 192.168.0.200:53");
  }

  @Test
  void changedPort_isDeleteAndAdd() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    VirtualService moved = VirtualService.tcp("192.168.0.200", 8080).rr().dr().add(R61);
    assertThat(rules(d.setServices(List.of(moved)))).containsExactly("-A -t 192.168.0.200:8080 -s rr",
        "-a -t 192.168.0.200:8080 -r 192.168.0.61:80 -g -w 1", "-D -t 192.168.0.200:80");
  }

  @Test
  void existingCorrectState_isAdopted_andWrongPartsFixed() throws Exception {
    ipvs.addService(IpvsService.of(KEY, Scheduler.RR));
    ipvs.addDest(KEY, new io.lbkit.api.ipvs.IpvsDest(R61.key(), Forwarding.DR, 1, 0, 0));
    ipvs.addDest(KEY, new io.lbkit.api.ipvs.IpvsDest(RealServerKey.of("192.168.0.99", 80), Forwarding.DR, 1, 0, 0));
    Reconciliation r = Director.create(ipvs).setServices(List.of(SEED));
    assertThat(rules(r)).containsExactly("-d -t 192.168.0.200:80 -r 192.168.0.99:80",
        "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 1");
  }

  @Test
  void unmanagedServices_areLeftAlone_unlessPurging() throws Exception {
    ServiceKey other = ServiceKey.of(io.lbkit.api.Protocol.TCP, io.lbkit.api.net.Inet.parse("10.9.9.9"), 22);
    ipvs.addService(IpvsService.of(other, Scheduler.WLC));
    assertThat(rules(Director.create(ipvs).setServices(List.of(SEED)))).doesNotContain("-D -t 10.9.9.9:22");
    assertThat(rules(Director.create(ipvs, true).setServices(List.of(SEED)))).containsExactly("-D -t 10.9.9.9:22");
  }

  @Test
  void oneChangeIn10000ServicesTimes10Destinations_issuesExactlyOneOperation() throws Exception {
    java.util.List<VirtualService> services = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      VirtualService v = VirtualService.tcp("10." + (i >> 8) + "." + (i & 0xff) + ".1", 80).wrr().dr();
      for (int j = 0; j < 10; j++) {
        v = v.add(RealServer.of("172.16." + (i % 200) + "." + (j + 1), 80 + i / 200));
      }
      services.add(v);
    }
    Director d = Director.create(ipvs);
    assertThat(d.setServices(services).applied()).hasSize(110_000);
    services.set(4321, services.get(4321).put(services.get(4321).realServers().get(7).weight(3)));
    Reconciliation r = d.setServices(services);
    assertThat(r.applied()).hasSize(1);
    assertThat(r.applied().get(0)).isInstanceOf(io.lbkit.api.ipvs.IpvsOp.UpdateDest.class);
  }

  @Test
  void failedCheck_withInhibit_setsWeightZero_andRecoveryRestoresIt() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    assertThat(rules(d.onHealth(HealthEvent.down(KEY, R61.key(), "connection refused"))))
        .containsExactly("-e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0");
    assertThat(d.view().get(0).reals().get(0)).isEqualTo(
        new ServiceView.RealView(R61.key(), false, 0, "connection refused"));
    assertThat(rules(d.onHealth(HealthEvent.up(KEY, R61.key(), "status 200"))))
        .containsExactly("-e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1");
  }

  @Test
  void failedCheck_withoutInhibit_removesServer_andRecoveryAddsIt() throws Exception {
    Director d = Director.create(ipvs);
    RealServer plain = RealServer.of("192.168.0.63", 80);
    d.setServices(List.of(SEED.add(plain)));
    assertThat(rules(d.onHealth(HealthEvent.down(KEY, plain.key(), "timeout"))))
        .containsExactly("-d -t 192.168.0.200:80 -r 192.168.0.63:80");
    assertThat(rules(d.onHealth(HealthEvent.up(KEY, plain.key(), ""))))
        .containsExactly("-a -t 192.168.0.200:80 -r 192.168.0.63:80 -g -w 1");
  }

  @Test
  void repeatedHealthResult_issuesNothing() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    d.onHealth(HealthEvent.down(KEY, R61.key(), "refused"));
    assertThat(d.onHealth(HealthEvent.down(KEY, R61.key(), "refused")).applied()).isEmpty();
  }

  @Test
  void dynamicWeight_fromCheck_isApplied() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    assertThat(rules(d.onHealth(new HealthEvent(KEY, R62.key(), true, 7, "misc_dynamic exit 9"))))
        .containsExactly("-e -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 7");
  }

  @Test
  void quorumAndHysteresis_switchSorryServerInAndOut() throws Exception {
    RealServer a = RealServer.of("10.0.0.1", 80).inhibitOnFailure();
    RealServer b = RealServer.of("10.0.0.2", 80).inhibitOnFailure();
    RealServer c = RealServer.of("10.0.0.3", 80).inhibitOnFailure();
    VirtualService v = VirtualService.tcp("192.0.2.10", 80).rr().dr().add(a, b, c)
        .sorryServer(RealServer.of("10.0.0.99", 80)).quorum(2, 1);
    Director d = Director.create(ipvs);
    d.setServices(List.of(v));
    // live 3 -> 2 -> 1: still >= quorum - hysteresis (1): no sorry server
    d.onHealth(HealthEvent.down(v.key(), a.key(), "x"));
    assertThat(rules(d.onHealth(HealthEvent.down(v.key(), b.key(), "x")))).hasSize(1);
    assertThat(d.view().get(0).quorumUp()).isTrue();
    // live 0 < 1: quorum lost, sorry server in
    assertThat(rules(d.onHealth(HealthEvent.down(v.key(), c.key(), "x")))).containsExactly(
        "-e -t 192.0.2.10:80 -r 10.0.0.3:80 -g -w 0", "-a -t 192.0.2.10:80 -r 10.0.0.99:80 -g -w 1");
    assertThat(d.view().get(0).sorryServerActive()).isTrue();
    // live 1, 2 < quorum + hysteresis (3): still lost
    d.onHealth(HealthEvent.up(v.key(), a.key(), ""));
    d.onHealth(HealthEvent.up(v.key(), b.key(), ""));
    assertThat(d.view().get(0).quorumUp()).isFalse();
    // live 3: regained, sorry server out
    assertThat(rules(d.onHealth(HealthEvent.up(v.key(), c.key(), "")))).containsExactly(
        "-d -t 192.0.2.10:80 -r 10.0.0.99:80", "-e -t 192.0.2.10:80 -r 10.0.0.3:80 -g -w 1");
  }

  @Test
  void sorryServerInhibit_keepsSorryServerAtWeightZeroWhileUnused() throws Exception {
    VirtualService v = SEED.sorryServer(RealServer.of("192.168.0.70", 80)).sorryServerInhibit(true);
    assertThat(rules(Director.create(ipvs).setServices(List.of(v))))
        .contains("-a -t 192.168.0.200:80 -r 192.168.0.70:80 -g -w 0");
  }

  @Test
  void alpha_startsRealServersDown() throws Exception {
    assertThat(rules(Director.create(ipvs).setServices(List.of(SEED.alpha(true))))).containsExactly(
        "-A -t 192.168.0.200:80 -s rr", "-a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0",
        "-a -t 192.168.0.200:80 -r 192.168.0.62:80 -g -w 0");
  }

  @Test
  void kernelRefusal_isReportedWithErrno_andNextReconcileRepairs() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of());
    ipvs.failNext(Errno.ENOMEM);
    Reconciliation r = d.setServices(List.of(SEED));
    // the first attempt lost the AddService; the automatic re-read and retry repaired it
    assertThat(r.isClean()).isTrue();
    assertThat(ipvs.services()).hasSize(1);
    assertThat(ipvs.services().get(0).dests()).hasSize(2);
  }

  @Test
  void serviceAddedBehindItsBack_isAdoptedAfterReRead() throws Exception {
    Director d = Director.create(ipvs);
    d.setServices(List.of());
    ipvs.addService(IpvsService.of(KEY, Scheduler.RR));
    Reconciliation r = d.setServices(List.of(SEED));
    assertThat(r.isClean()).isTrue();
    assertThat(ipvs.services().get(0).dests()).hasSize(2);
  }

  @Test
  void persistentKernelError_isReturnedAsFailure_withOperationAndErrno() throws Exception {
    Director d = Director.create(ipvs.withoutScheduler("rr"));
    Reconciliation r = d.setServices(List.of(SEED));
    assertThat(r.isClean()).isFalse();
    assertThat(r.failed().get(0).error().getMessage())
        .isEqualTo("IPVS add service TCP 192.168.0.200:80 (-A -t 192.168.0.200:80 -s rr): "
            + "ENOENT (No such file or directory): scheduler rr is not available (kernel module ip_vs_rr)");
  }

  @Test
  void persistentKernelError_orThrow_throwsBatchExceptionNamingTheChange() throws Exception {
    Director d = Director.create(ipvs.withoutScheduler("rr"));
    Reconciliation r = d.setServices(List.of(SEED));
    assertThatThrownBy(r::orThrow).isInstanceOfSatisfying(BatchException.class, e -> {
      assertThat(e.failures()).isEqualTo(r.failed()).hasSize(3); // the service and, for want of it, its two dests
      assertThat(e.failures().get(0).error()).isInstanceOf(UnknownSchedulerException.class);
      assertThat(e.total()).isEqualTo(3);
    }).hasMessageStartingWith("3 of 3 IPVS changes failed; first: IPVS add service TCP 192.168.0.200:80");
  }

  @Test
  void cleanReconciliation_orThrow_returnsIt() throws Exception {
    Reconciliation r = Director.create(ipvs).setServices(List.of(SEED));
    assertThat(r.orThrow()).isSameAs(r);
  }

  @Test
  void duplicateService_isRejected() {
    assertThatThrownBy(() -> Director.create(ipvs).setServices(List.of(SEED, SEED.wlc())))
        .hasMessageContaining("TCP 192.168.0.200:80 is given twice");
  }

  @Test
  void clear_deletesManagedServicesOnly() throws Exception {
    ServiceKey other = ServiceKey.of(io.lbkit.api.Protocol.TCP, io.lbkit.api.net.Inet.parse("10.9.9.9"), 22);
    ipvs.addService(IpvsService.of(other, Scheduler.WLC));
    Director d = Director.create(ipvs);
    d.setServices(List.of(SEED));
    assertThat(rules(d.clear())).containsExactly("-D -t 192.168.0.200:80");
    assertThat(ipvs.services()).hasSize(1);
  }

  @Test
  void plan_isWhatTheFirstSetServicesApplies() throws Exception {
    ipvs.addService(IpvsService.of(KEY, Scheduler.WRR));
    ipvs.addDest(KEY, io.lbkit.api.ipvs.IpvsDest.of(io.lbkit.api.net.Inet.parse("192.168.0.63"), 80, Forwarding.DR, 3));
    VirtualService other = VirtualService.tcp("192.168.0.201", 443).wrr().nat().add(RealServer.of("10.0.0.1", 443));
    List<String> planned = Director.plan(ipvs.services(), List.of(SEED, other), true).stream().map(Object::toString)
        .toList();
    assertThat(planned).isNotEmpty();
    assertThat(rules(Director.create(ipvs, true).setServices(List.of(SEED, other)))).isEqualTo(planned);
  }
}

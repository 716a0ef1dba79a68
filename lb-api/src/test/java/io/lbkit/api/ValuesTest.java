package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.NoSuchDestinationException;
import io.lbkit.api.kernel.NoSuchServiceException;
import io.lbkit.api.kernel.NotPermittedException;
import io.lbkit.api.kernel.ObjectExistsException;
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.api.net.Inet;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every value-type rule: bad values fail where they enter, with the bad value in the message. */
class ValuesTest {
  static final RealServer WEB1 = RealServer.of("192.168.0.61", 80);

  @Test
  void fluentApi_readsLikeTheBrief() {
    VirtualService v = VirtualService.tcp("192.168.0.200", 80).rr().dr().add(WEB1);
    assertThat(v.key()).hasToString("TCP 192.168.0.200:80");
    assertThat(v.scheduler()).isEqualTo(Scheduler.RR);
    assertThat(v.forwardingOf(WEB1)).isEqualTo(Forwarding.DR);
    assertThat(VirtualService.udp("10.0.0.1", 53).wlc().nat().onePacket().isOnePacket()).isTrue();
    assertThat(VirtualService.sctp("10.0.0.1", 9).sh().flags(SchedulerFlag.SH_PORT).schedulerFlags())
        .containsExactly(SchedulerFlag.SH_PORT);
    assertThat(VirtualService.fwmark(7).wrr().tun().key()).hasToString("FWM 7");
    assertThat(VirtualService.fwmark(8, Family.INET6).mh().key()).hasToString("FWM 8 IPv6");
    assertThat(VirtualService.tcp("2001:db8::1", 443).lc().lblc().lblcr().dh().sed().nq().fo().ovf().twos()
        .local().key()).hasToString("TCP [2001:db8::1]:443");
  }

  @Test
  void fluentCalls_returnNewValues_andLeaveTheOriginalUnchanged() {
    VirtualService base = VirtualService.tcp("192.168.0.200", 80);
    VirtualService rr = base.rr();
    assertThat(base.scheduler()).isEqualTo(Scheduler.WLC);
    assertThat(rr.scheduler()).isEqualTo(Scheduler.RR);
    assertThat(base.add(WEB1).realServers()).hasSize(1);
    assertThat(base.realServers()).isEmpty();
  }

  @Test
  void keepalivedDefaults() {
    VirtualService v = VirtualService.tcp("192.168.0.200", 80);
    assertThat(v.scheduler()).isEqualTo(Scheduler.WLC);
    assertThat(v.forwarding()).isEqualTo(Forwarding.NAT);
    assertThat(v.quorum()).isEqualTo(1);
    assertThat(v.delayLoop()).isEqualTo(Duration.ofSeconds(60));
    assertThat(WEB1.weight()).isEqualTo(1);
  }

  @Test
  void port0_isRejected_pointingToAllPorts() {
    assertThatThrownBy(() -> VirtualService.tcp("192.168.0.200", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range 1-65535: 0")
        .hasMessageContaining("allPorts");
    assertThat(VirtualService.allPorts(Protocol.TCP, Inet.parse("10.0.0.1"), Persistence.of(60)).persistence())
        .isPresent();
    assertThatThrownBy(() -> VirtualService.udp("10.0.0.1", 65536)).hasMessageContaining("65536");
  }

  @Test
  void weight_outsideRange_isRejectedWithTheValue() {
    assertThatThrownBy(() -> WEB1.weight(-1)).hasMessageContaining("out of range 0-65535: -1");
    assertThatThrownBy(() -> WEB1.weight(65536)).hasMessageContaining("65536");
    assertThat(WEB1.weight(0).weight()).isZero();
  }

  @Test
  void lowerThresholdAboveUpper_isRejected() {
    assertThatThrownBy(() -> WEB1.thresholds(10, 20)).hasMessageContaining("lower threshold")
        .hasMessageContaining("(20)").hasMessageContaining("(10)");
    assertThatThrownBy(() -> WEB1.thresholds(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(WEB1.thresholds(100, 10).upperThreshold()).isEqualTo(100);
  }

  @Test
  void ipv6RealServer_behindIpv4NatService_isRejected_butTunnelIsAllowed() {
    RealServer v6 = RealServer.of("2001:db8::2", 80);
    assertThatThrownBy(() -> VirtualService.tcp("192.168.0.200", 80).nat().add(v6))
        .hasMessageContaining("[2001:db8::2]:80 is INET6 but TCP 192.168.0.200:80 is INET")
        .hasMessageContaining("tunnel");
    assertThat(VirtualService.tcp("192.168.0.200", 80).tun().add(v6).realServers()).hasSize(1);
    assertThatThrownBy(() -> VirtualService.tcp("192.168.0.200", 80).tun().add(v6).nat())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duplicateRealServer_isRejected() {
    assertThatThrownBy(() -> VirtualService.tcp("192.168.0.200", 80).add(WEB1).add(WEB1.weight(3)))
        .hasMessageContaining("192.168.0.61:80 is already in TCP 192.168.0.200:80");
  }

  @Test
  void schedulerFlag_forAnotherScheduler_isRejected() {
    assertThatThrownBy(() -> VirtualService.tcp("10.0.0.1", 80).rr().flags(SchedulerFlag.SH_PORT))
        .hasMessageContaining("sh-port does not apply to scheduler rr");
    assertThat(VirtualService.tcp("10.0.0.1", 80).sh().flags(SchedulerFlag.SH_PORT).rr().schedulerFlags()).isEmpty();
  }

  @Test
  void onePacket_onTcp_isRejected() {
    assertThatThrownBy(() -> VirtualService.tcp("10.0.0.1", 80).onePacket())
        .hasMessageContaining("only for UDP services, not TCP 10.0.0.1:80");
  }

  @Test
  void quorumAndHysteresis_areChecked() {
    VirtualService v = VirtualService.tcp("10.0.0.1", 80);
    assertThatThrownBy(() -> v.quorum(0, 0)).hasMessageContaining("at least 1: 0");
    assertThatThrownBy(() -> v.quorum(2, 2)).hasMessageContaining("0 to quorum-1 (1): 2");
    assertThat(v.quorum(3, 1).hysteresis()).isEqualTo(1);
    assertThatThrownBy(() -> v.delayLoop(Duration.ZERO)).hasMessageContaining("PT0S");
  }

  @Test
  void addressLiterals_only_noDns() {
    assertThatThrownBy(() -> VirtualService.tcp("www.example.com", 80)).hasMessageContaining("\"www.example.com\"");
    assertThatThrownBy(() -> RealServer.of("192.168.0.300", 80)).hasMessageContaining("192.168.0.300");
  }

  @Test
  void persistence_rules() {
    assertThatThrownBy(() -> Persistence.of(0)).hasMessageContaining("at least 1 second: 0");
    assertThatThrownBy(() -> Persistence.of(60).withGranularity(0)).hasMessageContaining("1-128: 0");
    assertThat(Persistence.maskOf(24)).isEqualTo(0xffffff00);
    assertThat(Persistence.prefixOfMask(0xffffff00)).isEqualTo(24);
    assertThatThrownBy(() -> Persistence.prefixOfMask(0xff00ff00)).hasMessageContaining("0xff00ff00");
  }

  @Test
  void forwarding_tunnelParameters_needTunnel() {
    assertThat(Forwarding.gue(6080).tunnelPort()).isEqualTo(6080);
    assertThatThrownBy(() -> Forwarding.gue(0)).hasMessageContaining("1-65535: 0");
    assertThatThrownBy(() -> new Forwarding(Forwarding.Method.DROUTE, Forwarding.TunnelType.GRE, 0,
        Forwarding.TunnelCsum.NOCSUM)).hasMessageContaining("TUNNEL method, not DROUTE");
    assertThat(Forwarding.ofKernel(2, 1, 6080, 2)).isEqualTo(Forwarding.gue(6080).withCsum(Forwarding.TunnelCsum.REMCSUM));
    assertThat(Forwarding.ofKernel(3, 0, 0, 0)).isEqualTo(Forwarding.DR);
  }

  @Test
  void scheduler_isAnOpenEnum() {
    assertThat(Scheduler.of("RR")).isSameAs(Scheduler.RR);
    assertThat(Scheduler.known()).extracting(Scheduler::name).containsExactly("rr", "wrr", "lc", "wlc", "lblc",
        "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos");
    Scheduler future = Scheduler.of("wlib");
    assertThat(future.isKnown()).isFalse();
    assertThat(future).isEqualTo(Scheduler.of("wlib")).hasToString("wlib");
    assertThatThrownBy(() -> Scheduler.of("a b")).hasMessageContaining("\"a b\"");
    assertThatThrownBy(() -> Scheduler.of("x".repeat(16))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipvsService_fromKernel_ignoresHashedAndNormalizes() {
    ServiceKey k = ServiceKey.of(Protocol.UDP, Inet.parse("10.0.0.1"), 53);
    IpvsService s = IpvsService.fromKernel(k, "wlc", IpvsService.F_PERSISTENT | IpvsService.F_HASHED | 0x10, 300,
        0xffffff00, "");
    assertThat(s).isEqualTo(new IpvsService(k, Scheduler.WLC, Set.of(SchedulerFlag.FLAG_2),
        Persistence.of(300).withGranularity(24), false));
    assertThat(s.flags()).isEqualTo(IpvsService.F_PERSISTENT | 0x10);
    assertThat(s.netmask()).isEqualTo(0xffffff00);
    IpvsService plain = IpvsService.fromKernel(k, "rr", IpvsService.F_HASHED, 0, 0xffffffff, null);
    assertThat(plain.persistence()).isNull();
    assertThat(plain.netmask()).isEqualTo(0xffffffff);
    ServiceKey v6 = ServiceKey.fwmark(8, Family.INET6);
    assertThat(IpvsService.fromKernel(v6, "wrr", 1, 100, 64, null).persistence())
        .isEqualTo(Persistence.of(100).withGranularity(64));
    assertThat(IpvsService.fromKernel(v6, "wrr", 1, 100, 128, null).netmask()).isEqualTo(128);
  }

  @Test
  void kernelException_isTranslatedOnce_withOperationErrnoAndText() {
    KernelException e = KernelException.of(KernelException.Subject.SERVICE, "IPVS add service TCP 1.2.3.4:80",
        Errno.EEXIST, null);
    assertThat(e).isInstanceOf(ObjectExistsException.class)
        .hasMessage("IPVS add service TCP 1.2.3.4:80: EEXIST (File exists)");
    assertThat(KernelException.of(KernelException.Subject.SERVICE, "op", Errno.ENOENT, "no sched"))
        .isInstanceOf(UnknownSchedulerException.class).hasMessage("op: ENOENT (No such file or directory) - no sched");
    assertThat(KernelException.of(KernelException.Subject.DEST, "op", Errno.ENOENT, null))
        .isInstanceOf(NoSuchDestinationException.class);
    assertThat(KernelException.of(KernelException.Subject.DEST, "op", Errno.ESRCH, null))
        .isInstanceOf(NoSuchServiceException.class);
    assertThat(KernelException.of(KernelException.Subject.OTHER, "op", Errno.EPERM, null))
        .isInstanceOf(NotPermittedException.class);
    assertThat(KernelException.of(KernelException.Subject.OTHER, "op", 9999, null))
        .hasMessage("op: errno 9999 (Unknown error 9999)").extracting(KernelException::errno).isEqualTo(9999);
  }

  @Test
  void realServerKeys_sortLikeIpvsadm() {
    assertThat(RealServerKey.of("10.0.0.2", 80)).isLessThan(RealServerKey.of("192.168.0.1", 80));
    assertThat(RealServerKey.of("10.0.0.2", 80)).isLessThan(RealServerKey.of("10.0.0.2", 81));
  }
}

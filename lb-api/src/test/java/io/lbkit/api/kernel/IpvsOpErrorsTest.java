package io.lbkit.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.net.Inet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A failed IPVS change names its service, real server and, for ENOENT, the missing scheduler. */
class IpvsOpErrorsTest {
  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  static final RealServerKey R1 = RealServerKey.of("198.51.100.61", 80);

  @Test
  void addService_enoent_namesServiceAndScheduler() {
    KernelException e = KernelException.of(new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.of("nosuch"))),
        Errno.ENOENT, null);
    assertThat(e).isInstanceOfSatisfying(UnknownSchedulerException.class, u -> {
      assertThat(u.service()).contains(WEB);
      assertThat(u.scheduler()).contains("nosuch");
      assertThat(u.persistenceEngine()).isEmpty();
    }).hasMessage("IPVS add service TCP 192.0.2.200:80 (-A -t 192.0.2.200:80 -s nosuch): ENOENT (No such file or "
        + "directory): scheduler nosuch is not available (kernel module ip_vs_nosuch)");
  }

  @Test
  void updateService_enoentWithPersistenceEngine_namesBothCandidates_andTheExtAck() {
    IpvsService svc = new IpvsService(WEB, Scheduler.WLC, Set.of(), Persistence.of(60).withEngine("sip"), false);
    KernelException e = KernelException.of(new IpvsOp.UpdateService(svc), Errno.ENOENT, "nope");
    assertThat(e).isInstanceOf(UnknownSchedulerException.class).hasMessageEndingWith(
        "ENOENT (No such file or directory) - nope: scheduler wlc or persistence engine sip is not available "
            + "(kernel modules ip_vs_wlc, ip_vs_pe_sip)");
  }

  @Test
  void deleteService_enoent_isNoSchedulerError_andEsrchIsNoSuchService() {
    assertThat(KernelException.of(new IpvsOp.DeleteService(WEB), Errno.ENOENT, null))
        .isNotInstanceOf(UnknownSchedulerException.class);
    assertThat(KernelException.of(new IpvsOp.DeleteService(WEB), Errno.ESRCH, null))
        .isInstanceOf(NoSuchServiceException.class)
        .hasMessage("IPVS delete service TCP 192.0.2.200:80 (-D -t 192.0.2.200:80): ESRCH (No such process)");
  }

  @Test
  void destChanges_nameRealServerAndService() {
    IpvsDest d = new IpvsDest(R1, Forwarding.NAT, 3, 0, 0);
    assertThat(KernelException.of(new IpvsOp.AddDest(WEB, d), Errno.ESRCH, null))
        .isInstanceOf(NoSuchServiceException.class).hasMessageStartingWith(
            "IPVS add destination 198.51.100.61:80 to TCP 192.0.2.200:80 (-a -t 192.0.2.200:80 -r 198.51.100.61:80 "
                + "-m -w 3): ESRCH");
    assertThat(KernelException.of(new IpvsOp.UpdateDest(WEB, d), Errno.ENOENT, null))
        .isInstanceOf(NoSuchDestinationException.class)
        .hasMessageStartingWith("IPVS update destination 198.51.100.61:80 of TCP 192.0.2.200:80 (-e ");
    assertThat(KernelException.of(new IpvsOp.DeleteDest(WEB, R1), Errno.EPERM, null))
        .isInstanceOf(NotPermittedException.class)
        .hasMessageStartingWith("IPVS delete destination 198.51.100.61:80 of TCP 192.0.2.200:80 (-d ");
  }

  @Test
  void reconciliation_orThrow_cleanReturnsIt_failedThrowsEveryFailure() throws BatchException {
    IpvsOp add = new IpvsOp.AddService(IpvsService.of(WEB, Scheduler.RR));
    assertThat(Reconciliation.NONE.orThrow()).isSameAs(Reconciliation.NONE);
    KernelException error = KernelException.of(add, Errno.EEXIST, null);
    Reconciliation r = new Reconciliation(List.of(new IpvsOp.DeleteDest(WEB, R1)),
        List.of(new BatchException.Failure(0, add, error)));
    assertThatThrownBy(r::orThrow).isInstanceOfSatisfying(BatchException.class, b -> {
      assertThat(b.failures()).isEqualTo(r.failed());
      assertThat(b.total()).isEqualTo(2);
    }).hasMessage("1 of 2 IPVS changes failed; first: " + error.getMessage());
  }
}

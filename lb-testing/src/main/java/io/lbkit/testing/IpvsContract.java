package io.lbkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.NoSuchDestinationException;
import io.lbkit.api.kernel.NoSuchServiceException;
import io.lbkit.api.kernel.ObjectExistsException;
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.api.net.Inet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Ipvs} must do, as the Linux kernel does it. Subclass it with an
 * implementation; {@code FakeIpvs} passes it in the unit tier and lb-netlink's
 * {@code NetlinkIpvs} against the real kernel, so the fake cannot drift from the
 * kernel. Uses documentation addresses (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32)
 * and leaves the table empty.
 */
public abstract class IpvsContract {
  /** The implementation under test; flushed before and after each test. */
  protected Ipvs ipvs;

  /** Opens the implementation under test. */
  protected abstract Ipvs open() throws Exception;

  /** Names an empty table state for messages. */
  @BeforeEach
  void openAndFlush() throws Exception {
    ipvs = open();
    ipvs.flush();
  }

  @AfterEach
  void flushAndClose() throws Exception {
    try {
      ipvs.flush();
    } finally {
      ipvs.close();
    }
  }

  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  static final RealServerKey R1 = RealServerKey.of("198.51.100.61", 80);
  static final RealServerKey R2 = RealServerKey.of("198.51.100.62", 80);

  static IpvsDest dest(RealServerKey k, Forwarding f, int weight) {
    return new IpvsDest(k, f, weight, 0, 0);
  }

  private ServiceSnapshot only(ServiceKey key) throws Exception {
    for (ServiceSnapshot s : ipvs.services()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new AssertionError(key + " not listed in " + ipvs.services());
  }

  /**
   * The fake and the kernel word a failure alike: operation, errno name and text (the
   * kernel may append its extended-ack text, which the fake has not).
   */
  static void assertMessage(String expectedStart, KernelException e) {
    assertTrue(e.getMessage().startsWith(expectedStart),
        () -> "expected a message starting with\n  " + expectedStart + "\nbut was\n  " + e.getMessage());
  }

  @Test
  void addService_isListedWithItsSettings() throws Exception {
    IpvsService svc = IpvsService.of(WEB, Scheduler.RR);
    ipvs.addService(svc);
    assertEquals(svc, only(WEB).service());
    assertEquals(List.of(), only(WEB).dests());
  }

  @Test
  void addService_existing_throwsObjectExists() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(ObjectExistsException.class,
        () -> ipvs.addService(IpvsService.of(WEB, Scheduler.WLC)));
    assertEquals("EEXIST", e.errnoName());
    assertMessage("IPVS add service TCP 192.0.2.200:80 (-A -t 192.0.2.200:80 -s wlc): EEXIST (File exists)", e);
  }

  @Test
  void addService_unknownScheduler_throwsUnknownSchedulerNamingSchedulerAndService() {
    UnknownSchedulerException e = assertThrows(UnknownSchedulerException.class,
        () -> ipvs.addService(IpvsService.of(WEB, Scheduler.of("nosuch"))));
    assertEquals("nosuch", e.scheduler().orElseThrow());
    assertEquals(WEB, e.service().orElseThrow());
    assertMessage("IPVS add service TCP 192.0.2.200:80 (-A -t 192.0.2.200:80 -s nosuch): "
        + "ENOENT (No such file or directory)", e);
    assertTrue(e.getMessage().endsWith(": scheduler nosuch is not available (kernel module ip_vs_nosuch)"),
        e.getMessage());
  }

  @Test
  void updateService_changesSchedulerAndPersistenceInPlace_keepingDestinations() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1));
    IpvsService changed = new IpvsService(WEB, Scheduler.WLC, Set.of(), Persistence.of(600).withGranularity(24), false);
    ipvs.updateService(changed);
    assertEquals(changed, only(WEB).service());
    assertEquals(1, only(WEB).dests().size());
  }

  @Test
  void updateService_absent_throwsNoSuchServiceNamingIt() {
    KernelException e = assertThrows(NoSuchServiceException.class,
        () -> ipvs.updateService(IpvsService.of(WEB, Scheduler.RR)));
    assertMessage("IPVS update service TCP 192.0.2.200:80 (-E -t 192.0.2.200:80 -s rr): ESRCH (No such process)", e);
  }

  @Test
  void deleteService_absent_throwsNoSuchServiceNamingIt() {
    KernelException e = assertThrows(NoSuchServiceException.class, () -> ipvs.deleteService(WEB));
    assertMessage("IPVS delete service TCP 192.0.2.200:80 (-D -t 192.0.2.200:80): ESRCH (No such process)", e);
  }

  @Test
  void deleteService_removesItWithItsDestinations() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1));
    ipvs.deleteService(WEB);
    assertEquals(List.of(), ipvs.services());
  }

  @Test
  void addDest_isListedNewestFirstWithWeightAndForwarding() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1));
    ipvs.addDest(WEB, new IpvsDest(R2, Forwarding.NAT, 7, 100, 10));
    List<ServiceSnapshot.DestSnapshot> d = only(WEB).dests();
    assertEquals(List.of(new IpvsDest(R2, Forwarding.NAT, 7, 100, 10), dest(R1, Forwarding.DR, 1)),
        d.stream().map(ServiceSnapshot.DestSnapshot::dest).toList());
    assertEquals(0, d.get(0).activeConns());
  }

  @Test
  void addDest_toAbsentService_throwsNoSuchServiceNamingServiceAndRealServer() {
    KernelException e = assertThrows(NoSuchServiceException.class, () -> ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1)));
    assertMessage("IPVS add destination 198.51.100.61:80 to TCP 192.0.2.200:80 "
        + "(-a -t 192.0.2.200:80 -r 198.51.100.61:80 -g -w 1): ESRCH (No such process)", e);
  }

  @Test
  void addDest_existing_throwsObjectExists() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1));
    assertThrows(ObjectExistsException.class, () -> ipvs.addDest(WEB, dest(R1, Forwarding.DR, 2)));
  }

  @Test
  void addDest_lowerThresholdAboveUpper_failsWithErange() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(KernelException.class,
        () -> ipvs.addDest(WEB, new IpvsDest(R1, Forwarding.NAT, 1, 1, 5)));
    assertEquals(Errno.ERANGE, e.errno());
  }

  @Test
  void addDest_ipv6BehindIpv4_onlyWithTunnel() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    RealServerKey v6 = RealServerKey.of("2001:db8::9", 80);
    KernelException e = assertThrows(KernelException.class, () -> ipvs.addDest(WEB, dest(v6, Forwarding.NAT, 1)));
    assertEquals(Errno.EINVAL, e.errno());
    ipvs.addDest(WEB, dest(v6, Forwarding.TUN, 1));
    assertEquals(Family.INET6, only(WEB).dests().get(0).dest().family());
  }

  @Test
  void updateDest_changesWeightAndForwardingInPlace() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addDest(WEB, dest(R1, Forwarding.DR, 1));
    ipvs.updateDest(WEB, dest(R1, Forwarding.NAT, 0));
    assertEquals(dest(R1, Forwarding.NAT, 0), only(WEB).dests().get(0).dest());
  }

  @Test
  void updateDest_absent_throwsNoSuchDestination() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(NoSuchDestinationException.class,
        () -> ipvs.updateDest(WEB, dest(R1, Forwarding.DR, 1)));
    assertMessage("IPVS update destination 198.51.100.61:80 of TCP 192.0.2.200:80 "
        + "(-e -t 192.0.2.200:80 -r 198.51.100.61:80 -g -w 1): ENOENT (No such file or directory)", e);
  }

  @Test
  void deleteDest_absent_throwsNoSuchDestination() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(NoSuchDestinationException.class, () -> ipvs.deleteDest(WEB, R1));
    assertMessage("IPVS delete destination 198.51.100.61:80 of TCP 192.0.2.200:80 "
        + "(-d -t 192.0.2.200:80 -r 198.51.100.61:80): ENOENT (No such file or directory)", e);
  }

  @Test
  void deleteDest_ofAbsentService_throwsNoSuchService() {
    assertThrows(NoSuchServiceException.class, () -> ipvs.deleteDest(WEB, R1));
  }

  @Test
  void everyKindOfService_roundTripsExactly() throws Exception {
    List<IpvsService> all = List.of(
        new IpvsService(ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.1"), 53), Scheduler.WLC, Set.of(),
            Persistence.of(300).withGranularity(24), true),
        new IpvsService(ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.2"), 443), Scheduler.SH,
            Set.of(SchedulerFlag.SH_FALLBACK, SchedulerFlag.SH_PORT), null, false),
        new IpvsService(ServiceKey.of(Protocol.SCTP, Inet.parse("192.0.2.5"), 9), Scheduler.LC, Set.of(), null, false),
        new IpvsService(ServiceKey.fwmark(7, Family.INET), Scheduler.WRR, Set.of(), null, false),
        new IpvsService(ServiceKey.fwmark(8, Family.INET6), Scheduler.WRR, Set.of(), Persistence.of(100)
            .withGranularity(64), false),
        new IpvsService(ServiceKey.of(Protocol.TCP, Inet.parse("2001:db8::1"), 80), Scheduler.MH,
            Set.of(SchedulerFlag.MH_PORT), Persistence.of(30).withGranularity(96), false),
        new IpvsService(ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.7"), 0), Scheduler.WLC, Set.of(),
            Persistence.of(360), false));
    for (IpvsService s : all) {
      ipvs.addService(s);
    }
    for (IpvsService s : all) {
      assertEquals(s, only(s.key()).service());
    }
  }

  @Test
  void tunnelDestinations_roundTripTypePortAndChecksum() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    List<IpvsDest> dests = List.of(dest(R1, Forwarding.TUN, 1),
        dest(R2, Forwarding.gue(6080).withCsum(Forwarding.TunnelCsum.REMCSUM), 2),
        dest(RealServerKey.of("198.51.100.63", 80), Forwarding.gre().withCsum(Forwarding.TunnelCsum.CSUM), 3));
    for (IpvsDest d : dests) {
      ipvs.addDest(WEB, d);
    }
    List<IpvsDest> listed = only(WEB).dests().stream().map(ServiceSnapshot.DestSnapshot::dest).toList();
    assertEquals(List.of(dests.get(2), dests.get(1), dests.get(0)), listed);
  }

  @Test
  void flush_removesEveryService() throws Exception {
    ipvs.addService(IpvsService.of(WEB, Scheduler.RR));
    ipvs.addService(IpvsService.of(ServiceKey.fwmark(3, Family.INET), Scheduler.RR));
    ipvs.flush();
    assertEquals(List.of(), ipvs.services());
  }

  @Test
  void setTimeouts_zeroLeavesAFieldUnchanged() throws Exception {
    IpvsTimeouts before = ipvs.timeouts();
    try {
      ipvs.setTimeouts(new IpvsTimeouts(1000, 0, 0));
      assertEquals(new IpvsTimeouts(1000, before.tcpFin(), before.udp()), ipvs.timeouts());
    } finally {
      ipvs.setTimeouts(before);
    }
  }

  @Test
  void info_reportsIpvsVersion() throws Exception {
    assertEquals("1.2.1", ipvs.info().versionString());
    assertTrue(ipvs.info().connTableSize() > 0);
  }

  @Test
  void zero_absentService_throwsNoSuchService() {
    assertThrows(NoSuchServiceException.class, () -> ipvs.zero(WEB));
  }

  @Test
  void apply_appliesEveryChange_andReportsEachFailureAtItsIndex() throws Exception {
    IpvsService svc = IpvsService.of(WEB, Scheduler.RR);
    List<IpvsOp> ops = List.of(new IpvsOp.AddService(svc), new IpvsOp.AddService(svc),
        new IpvsOp.AddDest(WEB, dest(R1, Forwarding.DR, 1)), new IpvsOp.DeleteDest(WEB, R2),
        new IpvsOp.AddDest(WEB, dest(R2, Forwarding.DR, 1)));
    BatchException e = assertThrows(BatchException.class, () -> ipvs.apply(ops));
    assertEquals(List.of(1, 3), e.failures().stream().map(BatchException.Failure::index).toList());
    assertTrue(e.failures().get(0).error() instanceof ObjectExistsException);
    assertTrue(e.failures().get(1).error() instanceof NoSuchDestinationException);
    assertMessage("IPVS delete destination 198.51.100.62:80 of TCP 192.0.2.200:80 "
        + "(-d -t 192.0.2.200:80 -r 198.51.100.62:80): ENOENT (No such file or directory)", e.failures().get(1).error());
    assertEquals(2, only(WEB).dests().size());
    assertTrue(e.getMessage().startsWith("2 of 5 IPVS changes failed; first: IPVS add service TCP 192.0.2.200:80"),
        e.getMessage());
  }
}

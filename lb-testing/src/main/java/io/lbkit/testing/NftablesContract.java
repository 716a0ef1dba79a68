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
import io.lbkit.api.ipvs.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
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
import org.junit.jupiter.api.function.Executable;

/**
 * What the nftables dataplane (NAT and direct routing) does behind the {@link Ipvs} port
 * (see lb-nftables' {@code io.lbkit.nftables}): services and real servers added, changed
 * and deleted with IPVS's errnos; read back exactly as written (services in key order,
 * real servers in address order, NAT or Route, counters 0 without traffic; persistence on direct routing);
 * weight 0 kept; and what it cannot do refused with EOPNOTSUPP naming the service and the
 * reason, leaving the table as it was. Run against {@link FakeNftables} in the unit tier
 * and lb-nftables' {@code NftablesIpvs} in a network namespace, so the fake cannot drift
 * from the real table:
 *
 * <pre>{@code
 * class FakeNftablesContractTest extends NftablesContract {
 *   protected Ipvs open() {
 *     return new FakeNftables();
 *   }
 * }
 * }</pre>
 *
 * Uses documentation addresses (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32) and leaves
 * the table empty.
 */
public abstract class NftablesContract {
  /** The implementation under test; flushed before and after each test. */
  protected Ipvs nft;

  /** For subclasses. */
  protected NftablesContract() {}

  /** Opens the implementation under test (a new handle for each test). */
  protected abstract Ipvs open() throws Exception;

  @BeforeEach
  void openAndFlush() throws Exception {
    nft = open();
    nft.flush();
  }

  @AfterEach
  void flushAndClose() throws Exception {
    try {
      nft.flush();
    } finally {
      nft.close();
    }
  }

  static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  static final Scheduler RANDOM = Scheduler.of("random");
  static final RealServerKey R1 = RealServerKey.of("198.51.100.61", 8080);
  static final RealServerKey R2 = RealServerKey.of("198.51.100.62", 8080);

  static IpvsDest nat(RealServerKey k, int weight) {
    return new IpvsDest(k, Forwarding.NAT, weight, 0, 0);
  }

  private List<IpvsDest> dests(ServiceKey key) throws Exception {
    for (ServiceSnapshot s : nft.services()) {
      if (s.key().equals(key)) {
        return s.dests().stream().map(DestSnapshot::dest).toList();
      }
    }
    throw new AssertionError(key + " not listed in " + nft.services());
  }

  private static KernelException refused(Executable change, String... words) {
    KernelException e = assertThrows(KernelException.class, change);
    assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "\"" + w + "\" not in: " + e.getMessage());
    }
    return e;
  }

  @Test
  void services_readBackExactlyAsWritten_sortedWithIdleNatRealServers() throws Exception {
    ServiceKey dns = ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.53"), 53);
    ServiceKey v6 = ServiceKey.of(Protocol.TCP, Inet.parse("2001:db8::1"), 443);
    nft.addService(IpvsService.of(WEB, Scheduler.WRR));
    nft.addService(IpvsService.of(v6, RANDOM));
    nft.addService(IpvsService.of(dns, Scheduler.RR));
    nft.addDest(WEB, nat(R2, 1));
    nft.addDest(WEB, nat(R1, 2));
    nft.addDest(v6, nat(RealServerKey.of("2001:db8::61", 8443), 3));
    List<ServiceSnapshot> all = nft.services();
    // ServiceKey's natural order: family, protocol, address, port
    assertEquals(List.of(IpvsService.of(WEB, Scheduler.WRR), IpvsService.of(dns, Scheduler.RR),
        IpvsService.of(v6, RANDOM)), all.stream().map(ServiceSnapshot::service).toList());
    assertEquals(List.of(DestSnapshot.idle(nat(R1, 2)), DestSnapshot.idle(nat(R2, 1))), all.get(0).dests());
    assertEquals(List.of(nat(RealServerKey.of("2001:db8::61", 8443), 3)), dests(v6));
    assertEquals(List.of(), all.get(1).dests());
  }

  @Test
  void addService_existing_throwsObjectExistsNamingIt() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(ObjectExistsException.class,
        () -> nft.addService(IpvsService.of(WEB, Scheduler.WRR)));
    assertTrue(e.getMessage().contains(WEB.toString()), e.getMessage());
    assertEquals(IpvsService.of(WEB, Scheduler.RR), nft.services().get(0).service());
  }

  @Test
  void addService_unknownScheduler_throwsUnknownScheduler() throws Exception {
    assertThrows(UnknownSchedulerException.class, () -> nft.addService(IpvsService.of(WEB, Scheduler.of("nosuch"))));
    assertEquals(List.of(), nft.services());
  }

  @Test
  void updateService_changesSchedulerInPlace_keepingRealServers() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addDest(WEB, nat(R1, 3));
    nft.updateService(IpvsService.of(WEB, Scheduler.WRR));
    assertEquals(IpvsService.of(WEB, Scheduler.WRR), nft.services().get(0).service());
    assertEquals(List.of(nat(R1, 3)), dests(WEB));
  }

  @Test
  void updateService_absent_throwsNoSuchService() {
    assertThrows(NoSuchServiceException.class, () -> nft.updateService(IpvsService.of(WEB, Scheduler.RR)));
  }

  @Test
  void deleteService_removesItWithItsRealServers_andAgainThrowsNoSuchService() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addDest(WEB, nat(R1, 1));
    nft.deleteService(WEB);
    assertEquals(List.of(), nft.services());
    assertThrows(NoSuchServiceException.class, () -> nft.deleteService(WEB));
  }

  @Test
  void realServerChanges_ofAbsentService_throwNoSuchService() {
    assertThrows(NoSuchServiceException.class, () -> nft.addDest(WEB, nat(R1, 1)));
    assertThrows(NoSuchServiceException.class, () -> nft.updateDest(WEB, nat(R1, 1)));
    assertThrows(NoSuchServiceException.class, () -> nft.deleteDest(WEB, R1));
  }

  @Test
  void addDest_existing_throwsObjectExists_keepingItsWeight() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addDest(WEB, nat(R1, 1));
    assertThrows(ObjectExistsException.class, () -> nft.addDest(WEB, nat(R1, 2)));
    assertEquals(List.of(nat(R1, 1)), dests(WEB));
  }

  @Test
  void updateAndDeleteDest_absent_throwNoSuchDestination() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    assertThrows(NoSuchDestinationException.class, () -> nft.updateDest(WEB, nat(R1, 1)));
    assertThrows(NoSuchDestinationException.class, () -> nft.deleteDest(WEB, R1));
  }

  @Test
  void addDest_otherAddressFamily_failsWithEinval() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    KernelException e = assertThrows(KernelException.class,
        () -> nft.addDest(WEB, nat(RealServerKey.of("2001:db8::9", 80), 1)));
    assertEquals(Errno.EINVAL, e.errno());
    assertEquals(List.of(), dests(WEB));
  }

  @Test
  void weightZero_isKeptAndListed_andDeleteDestRemovesOnlyThatServer() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addDest(WEB, nat(R1, 1));
    nft.addDest(WEB, nat(R2, 1));
    nft.updateDest(WEB, nat(R1, 0));
    assertEquals(List.of(nat(R1, 0), nat(R2, 1)), dests(WEB));
    nft.updateDest(WEB, nat(R2, 0));
    assertEquals(List.of(nat(R1, 0), nat(R2, 0)), dests(WEB));
    nft.deleteDest(WEB, R1);
    assertEquals(List.of(nat(R2, 0)), dests(WEB));
  }

  @Test
  void schedulersNeedingConnectionCounts_areRefusedNamingServiceAndReason() throws Exception {
    for (Scheduler s : List.of(Scheduler.LC, Scheduler.WLC, Scheduler.SED, Scheduler.NQ, Scheduler.LBLC,
        Scheduler.LBLCR, Scheduler.OVF, Scheduler.TWOS)) {
      refused(() -> nft.addService(IpvsService.of(WEB, s)), WEB.toString(), s.name(), "connection counts");
    }
    assertEquals(List.of(), nft.services());
  }

  @Test
  void hashingSchedulers_shAndDh_areKeptWithTheirWeights() throws Exception {
    ServiceKey dns = ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.53"), 53);
    nft.addService(IpvsService.of(WEB, Scheduler.SH));
    nft.addService(IpvsService.of(dns, Scheduler.DH));
    nft.addDest(WEB, nat(R1, 2));
    nft.addDest(WEB, nat(R2, 1));
    nft.addDest(dns, nat(R1, 0));
    assertEquals(List.of(IpvsService.of(WEB, Scheduler.SH), IpvsService.of(dns, Scheduler.DH)),
        nft.services().stream().map(ServiceSnapshot::service).toList());
    assertEquals(List.of(nat(R1, 2), nat(R2, 1)), dests(WEB));
    nft.updateService(IpvsService.of(WEB, Scheduler.RR));
    assertEquals(List.of(nat(R1, 2), nat(R2, 1)), dests(WEB));
  }

  @Test
  void schedulersNotImplementedYet_areRefusedSayingSo() {
    refused(() -> nft.addService(IpvsService.of(WEB, Scheduler.FO)), WEB.toString(), "fo", "not implemented");
  }

  @Test
  void maglev_keepsItsFlagsAndWeights_whileOtherFlagsAndOnePacketStayRefused() throws Exception {
    IpvsService mh = new IpvsService(WEB, Scheduler.MH, Set.of(SchedulerFlag.MH_PORT, SchedulerFlag.MH_FALLBACK), null,
        false);
    nft.addService(mh);
    nft.addDest(WEB, nat(R1, 5000)); // mh always has 4093 slots: large weights are fine
    nft.addDest(WEB, nat(R2, 4999));
    nft.addDest(WEB, nat(RealServerKey.of("198.51.100.63", 8080), 0));
    assertEquals(mh, nft.services().get(0).service());
    assertEquals(List.of(nat(R1, 5000), nat(R2, 4999), nat(RealServerKey.of("198.51.100.63", 8080), 0)), dests(WEB));
    IpvsService portOnly = new IpvsService(WEB, Scheduler.MH, Set.of(SchedulerFlag.MH_PORT), null, false);
    nft.updateService(portOnly);
    assertEquals(portOnly, nft.services().get(0).service());
    refused(() -> nft.updateService(new IpvsService(WEB, Scheduler.MH, Set.of(), null, true)), "one-packet");
    assertEquals(portOnly, nft.services().get(0).service());
  }

  @Test
  void updateService_toRefusedScheduler_keepsTheRunningOne() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    refused(() -> nft.updateService(IpvsService.of(WEB, Scheduler.WLC)), WEB.toString(), "wlc");
    assertEquals(IpvsService.of(WEB, Scheduler.RR), nft.services().get(0).service());
  }

  static IpvsDest dr(RealServerKey k, int weight) {
    return new IpvsDest(k, Forwarding.DR, weight, 0, 0);
  }

  /**
   * Direct routing (IPv4; the implementation under test must have 198.51.100.0/24 on a
   * link): read back as Route, weight 0 kept; a real server of another method in the same
   * service and an IPv6 DR service are refused.
   */
  @Test
  void directRouting_readsBackAsRoute_andMixingMethodsIsRefused() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addDest(WEB, dr(R1, 1));
    nft.addDest(WEB, dr(R2, 0));
    assertEquals(List.of(dr(R1, 1), dr(R2, 0)), dests(WEB));
    refused(() -> nft.addDest(WEB, nat(RealServerKey.of("198.51.100.63", 8080), 1)), WEB.toString(), "one forwarding");
    nft.updateDest(WEB, dr(R2, 3));
    assertEquals(List.of(dr(R1, 1), dr(R2, 3)), dests(WEB));
    nft.deleteDest(WEB, R1);
    nft.updateDest(WEB, nat(R2, 1));
    assertEquals(List.of(nat(R2, 1)), dests(WEB), "a service whose only real server changes method follows it");
    ServiceKey v6 = ServiceKey.of(Protocol.TCP, Inet.parse("2001:db8::200"), 80);
    nft.addService(IpvsService.of(v6, Scheduler.RR));
    refused(() -> nft.addDest(v6, new IpvsDest(RealServerKey.of("2001:db8::61", 80), Forwarding.DR, 1, 0, 0)),
        v6.toString(), "IPv6");
  }

  @Test
  void directRouting_maglevTakesIt_butNotWithMhPort() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.MH));
    nft.addDest(WEB, dr(R1, 1));
    assertEquals(List.of(dr(R1, 1)), dests(WEB));
    RealServerKey r3 = RealServerKey.of("198.51.100.63", 80);
    nft.addDest(WEB, dr(R2, 2));
    nft.addDest(WEB, dr(r3, 1));
    nft.deleteDest(WEB, R2); // mh keeps its slot count: only the moved slots are rewritten
    nft.updateDest(WEB, dr(r3, 3));
    assertEquals(List.of(dr(R1, 1), dr(r3, 3)), dests(WEB));
    ServiceKey other = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.201"), 80);
    nft.addService(new IpvsService(other, Scheduler.MH, Set.of(SchedulerFlag.MH_PORT), null, false));
    refused(() -> nft.addDest(other, dr(R1, 1)), other.toString(), "mh-port");
    assertEquals(List.of(), dests(other));
  }

  @Test
  void tunnel_isRefusedNamingServiceAndMethod() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    refused(() -> nft.addDest(WEB, new IpvsDest(R1, Forwarding.TUN, 1, 0, 0)), WEB.toString(), "Tunnel forwarding");
    nft.addDest(WEB, nat(R1, 1));
    refused(() -> nft.updateDest(WEB, new IpvsDest(R1, Forwarding.TUN, 1, 0, 0)), WEB.toString());
    assertEquals(List.of(nat(R1, 1)), dests(WEB));
  }

  @Test
  void persistence_onDirectRouting_readsBack_whileNatAndCoarseGranularityAreRefused() throws Exception {
    IpvsService sticky = new IpvsService(WEB, Scheduler.RR, Set.of(), Persistence.of(300), false);
    nft.addService(sticky);
    nft.addDest(WEB, dr(R1, 1));
    nft.addDest(WEB, dr(R2, 1));
    assertEquals(sticky, nft.services().get(0).service());
    assertEquals(List.of(dr(R1, 1), dr(R2, 1)), dests(WEB));
    refused(() -> nft.addDest(WEB, nat(RealServerKey.of("198.51.100.63", 8080), 1)), WEB.toString());
    nft.updateService(IpvsService.of(WEB, Scheduler.RR));
    assertEquals(IpvsService.of(WEB, Scheduler.RR), nft.services().get(0).service());
    assertEquals(List.of(dr(R1, 1), dr(R2, 1)), dests(WEB), "dropping persistence keeps the real servers");
    ServiceKey other = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.201"), 80);
    nft.addService(IpvsService.of(other, Scheduler.RR));
    nft.addDest(other, nat(R1, 1));
    refused(() -> nft.updateService(new IpvsService(other, Scheduler.RR, Set.of(), Persistence.of(60), false)),
        other.toString(), "persistence of NAT");
    refused(() -> nft.addService(new IpvsService(ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.202"), 80),
        Scheduler.RR, Set.of(), Persistence.of(300).withGranularity(24), false)), "granularity");
  }

  @Test
  void flagsAndFirewallMarks_areRefusedWithTheReason() {
    refused(() -> nft.addService(new IpvsService(WEB, Scheduler.RR, Set.of(SchedulerFlag.SH_PORT), null, false)),
        WEB.toString(), "flags");
    refused(() -> nft.addService(new IpvsService(WEB, Scheduler.RR, Set.of(), null, true)), "one-packet");
    refused(() -> nft.addService(IpvsService.of(ServiceKey.fwmark(7, Family.INET), Scheduler.RR)), "firewall-mark");
  }

  @Test
  void connectionThresholds_areRefused() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    refused(() -> nft.addDest(WEB, new IpvsDest(R1, Forwarding.NAT, 1, 100, 10)), WEB.toString(), "thresholds");
    assertEquals(List.of(), dests(WEB));
  }

  @Test
  void weightsNeedingTooManySlots_areRefused_whileLargeEqualWeightsAreNot() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.WRR));
    nft.addDest(WEB, nat(R1, 5000));
    nft.addDest(WEB, nat(R2, 5000));
    refused(() -> nft.updateDest(WEB, nat(R2, 4999)), WEB.toString(), "slots");
    assertEquals(List.of(nat(R1, 5000), nat(R2, 5000)), dests(WEB));
  }

  @Test
  void flush_removesEveryService() throws Exception {
    nft.addService(IpvsService.of(WEB, Scheduler.RR));
    nft.addService(IpvsService.of(ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.53"), 53), Scheduler.RR));
    nft.flush();
    assertEquals(List.of(), nft.services());
  }

  @Test
  void timeoutsAndSyncDaemons_areRefused_andNoneRun() throws Exception {
    refused(() -> nft.timeouts(), "conntrack");
    refused(() -> nft.setTimeouts(new IpvsTimeouts(900, 0, 0)), "conntrack");
    refused(() -> nft.startSyncDaemon(SyncDaemon.of(SyncDaemon.Role.MASTER, "eth0", 51)), "conntrackd");
    assertEquals(List.of(), nft.syncDaemons());
    assertEquals("0.0.0", nft.info().versionString());
  }

  @Test
  void zero_absentService_throwsNoSuchService() {
    assertThrows(NoSuchServiceException.class, () -> nft.zero(WEB));
  }

  @Test
  void apply_appliesEveryChange_andReportsEachFailureAtItsIndex() throws Exception {
    IpvsService svc = IpvsService.of(WEB, Scheduler.RR);
    List<IpvsOp> ops = List.of(new IpvsOp.AddService(svc), new IpvsOp.AddService(svc),
        new IpvsOp.AddDest(WEB, nat(R1, 1)), new IpvsOp.DeleteDest(WEB, R2),
        new IpvsOp.AddDest(WEB, new IpvsDest(R2, Forwarding.TUN, 1, 0, 0)), new IpvsOp.AddDest(WEB, nat(R2, 1)));
    BatchException e = assertThrows(BatchException.class, () -> nft.apply(ops));
    assertEquals(List.of(1, 3, 4), e.failures().stream().map(BatchException.Failure::index).toList());
    assertTrue(e.failures().get(0).error() instanceof ObjectExistsException);
    assertTrue(e.failures().get(1).error() instanceof NoSuchDestinationException);
    assertEquals(Errno.EOPNOTSUPP, e.failures().get(2).error().errno());
    assertEquals(List.of(nat(R1, 1), nat(R2, 1)), dests(WEB));
  }
}

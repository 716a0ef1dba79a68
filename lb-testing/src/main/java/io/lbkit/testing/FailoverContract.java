package io.lbkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.Failover.InstanceStatus;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Failover} shares, whether it is lb-testing's
 * {@link FakeFailover} or lb-vrrp's {@code VrrpFailover} on an in-memory network: run
 * against both, it keeps the fake from drifting away from the real one. Each test gets
 * a fresh failover over a {@link FakeAddressManager} with interface {@value #IFACE},
 * alone on its link:
 *
 * <pre>{@code
 * class FakeFailoverContractTest extends FailoverContract {
 *   protected Failover failover(AddressManager addresses, VrrpListener listener) {
 *     return new FakeFailover(addresses).addListener(listener);
 *   }
 *   protected void becomeMaster(Failover f, String instance) {
 *     ((FakeFailover) f).setState(instance, VrrpState.MASTER);
 *   }
 * }
 * }</pre>
 */
public abstract class FailoverContract {
  /** The interface the instances and their addresses are on. */
  protected static final String IFACE = "eth0";

  private static final InetAddress VIP1 = Inet.parse("192.0.2.100");
  private static final InetAddress VIP2 = Inet.parse("192.0.2.101");

  private final FakeAddressManager addresses = new FakeAddressManager(IFACE);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Failover failover;

  /** For subclasses. */
  protected FailoverContract() {}

  /**
   * A new failover whose masters put their addresses on {@code addresses} and which tells
   * {@code listener} of every transition before the call causing it returns.
   */
  protected abstract Failover failover(AddressManager addresses, VrrpListener listener) throws IOException;

  /**
   * Lets {@code instance}, in BACKUP, become MASTER the way it would alone on its link (the
   * fake is told; a real one lets its master-down timer expire, which may make other
   * backups master too: the contract does not depend on them).
   */
  protected abstract void becomeMaster(Failover failover, String instance) throws IOException;

  private Failover f() throws IOException {
    if (failover == null) {
      failover = failover(addresses, (name, from, to, why) -> events.add(name + " " + from + "->" + to));
    }
    return failover;
  }

  @AfterEach
  void closeFailover() throws IOException {
    if (failover != null) {
      failover.close();
    }
  }

  private static VrrpInstanceSpec spec(String name, int vrid, int priority, String... vips) {
    return VrrpInstanceSpec.builder(name, IFACE, vrid).priority(priority)
        .virtualAddresses(java.util.Arrays.stream(vips).map(VirtualAddress::of).toList()).build();
  }

  private static final VrrpInstanceSpec VI_1 = spec("VI_1", 51, 150, "192.0.2.100");
  private static final VrrpInstanceSpec VI_2 = spec("VI_2", 52, 100, "192.0.2.101");

  private void apply(VrrpInstanceSpec... specs) throws IOException {
    f().setInstances(List.of(specs), List.of());
  }

  private InstanceStatus status(String name) throws IOException {
    return f().status().get(name);
  }

  @Test
  void setInstances_newInstance_startsInBackupAtItsPriority_withoutItsVips() throws IOException {
    apply(VI_1);
    assertEquals(Map.of("VI_1", new InstanceStatus(VrrpState.BACKUP, 150)), f().status());
    assertFalse(addresses.has(IFACE, VIP1));
    assertEquals(List.of("VI_1 INIT->BACKUP"), events);
  }

  @Test
  void setInstances_priority255_isMasterAtOnce_andHoldsItsVips() throws IOException {
    apply(spec("OWNER", 53, 255, "192.0.2.100"));
    assertEquals(new InstanceStatus(VrrpState.MASTER, 255), status("OWNER"));
    assertTrue(addresses.has(IFACE, VIP1));
    assertEquals(List.of("OWNER INIT->MASTER"), events);
  }

  @Test
  void becomeMaster_reportsMaster_andAddsItsVips() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    assertEquals(new InstanceStatus(VrrpState.MASTER, 150), status("VI_1"));
    assertTrue(addresses.has(IFACE, VIP1));
  }

  @Test
  void listener_isToldOfEveryTransition_startMasterStop() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    f().close();
    assertEquals(List.of("VI_1 INIT->BACKUP", "VI_1 BACKUP->MASTER", "VI_1 MASTER->STOP"), events);
  }

  @Test
  void close_master_removesItsVips_statusEmpty_andCloseAgainIsHarmless() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    f().close();
    assertFalse(addresses.has(IFACE, VIP1));
    assertEquals(Map.of(), f().status());
    f().close();
    assertEquals(1, events.stream().filter(e -> e.endsWith("->STOP")).count(), () -> "events: " + events);
  }

  @Test
  void setInstances_sameSpecsAgain_changesNothing() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    List<String> log = addresses.log();
    List<String> told = List.copyOf(events);
    apply(VI_1);
    assertEquals(new InstanceStatus(VrrpState.MASTER, 150), status("VI_1"));
    assertEquals(log, addresses.log(), "no VIP flap");
    assertEquals(told, events);
  }

  @Test
  void setInstances_changedPriority_reportedAtOnce_masterKeepsItsVips() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    List<String> log = addresses.log();
    apply(VI_1.toBuilder().priority(200).build());
    assertEquals(new InstanceStatus(VrrpState.MASTER, 200), status("VI_1"));
    assertEquals(log, addresses.log(), "no VIP flap");
  }

  @Test
  void setInstances_masterGetsAnotherVip_addsOnlyThatOne() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    int before = addresses.log().size();
    apply(spec("VI_1", 51, 150, "192.0.2.100", "192.0.2.101"));
    assertEquals(VrrpState.MASTER, status("VI_1").state());
    assertEquals(List.of("add " + IFACE + " 192.0.2.101/32"), addresses.log().subList(before, addresses.log().size()));
    assertTrue(addresses.has(IFACE, VIP1));
  }

  @Test
  void setInstances_instanceDropped_stopsIt_removingOnlyItsVips() throws IOException {
    apply(VI_1, VI_2);
    becomeMaster(f(), "VI_1");
    becomeMaster(f(), "VI_2");
    apply(VI_1);
    assertEquals(List.of("VI_1"), List.copyOf(f().status().keySet()));
    assertTrue(addresses.has(IFACE, VIP1));
    assertFalse(addresses.has(IFACE, VIP2));
    assertTrue(events.contains("VI_2 MASTER->STOP"), () -> "events: " + events);
  }

  @Test
  void setInstances_addedInstance_startsInBackup_runningMasterUntouched() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    List<String> log = addresses.log();
    apply(VI_1, VI_2);
    assertEquals(new InstanceStatus(VrrpState.MASTER, 150), status("VI_1"));
    assertEquals(new InstanceStatus(VrrpState.BACKUP, 100), status("VI_2"));
    assertEquals(log, addresses.log());
  }

  @Test
  void setInstances_emptyList_stopsEveryInstance_andRemovesTheVips() throws IOException {
    apply(VI_1);
    becomeMaster(f(), "VI_1");
    f().setInstances(List.of(), List.of());
    assertEquals(Map.of(), f().status());
    assertFalse(addresses.has(IFACE, VIP1));
    assertEquals("VI_1 MASTER->STOP", events.get(events.size() - 1));
  }

  @Test
  void status_listsInstancesInConfigurationOrder() throws IOException {
    apply(VI_2, VI_1);
    assertEquals(List.of("VI_2", "VI_1"), List.copyOf(f().status().keySet()));
  }
}

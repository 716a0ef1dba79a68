package io.lbkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RouteManager} does, as Linux does it: run against lb-testing's
 * {@code FakeRouteManager} and against lb-netlink's {@code NetlinkRouteManager} in a
 * network namespace, so the fake cannot drift from the kernel. Subclass it and give each
 * test a fresh manager whose interface {@link #interfaceName()} exists, is up, holds
 * {@link #V4_ADDRESS} and {@link #V6_ADDRESS} and has no other routes of the documentation
 * networks used here (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32):
 *
 * <pre>{@code
 * class FakeRouteManagerContractTest extends RouteManagerContract {
 *   private final FakeRouteManager fake = new FakeRouteManager("rt0")
 *       .addAddress("rt0", V4_ADDRESS).addAddress("rt0", V6_ADDRESS);
 *   protected RouteManager manager() { return fake; }
 *   protected String interfaceName() { return "rt0"; }
 * }
 * }</pre>
 *
 * <p>The port cannot list routes, so each test observes the table through what adding
 * or removing again reports.
 */
public abstract class RouteManagerContract {
  /** The IPv4 address (and on-link subnet) the interface holds. */
  protected static final String V4_ADDRESS = "192.0.2.1/24";
  /** The IPv6 address (and on-link subnet) the interface holds. */
  protected static final String V6_ADDRESS = "2001:db8:1::1/64";

  /** For subclasses. */
  protected RouteManagerContract() {}

  /** The manager under test, fresh for each test. */
  protected abstract RouteManager manager() throws IOException;

  /** An existing, up interface holding {@link #V4_ADDRESS} and {@link #V6_ADDRESS}. */
  protected abstract String interfaceName();

  /** An interface name that does not exist. */
  protected String missingInterface() {
    return "lbtnosuch0";
  }

  private static final Route VIA = Route.via("198.51.100.0/24", "192.0.2.254");

  private static Route with(Route r, int metric, int table) {
    return new Route(r.destination(), r.prefixLength(), r.gateway(), r.interfaceName(), r.source(), metric, table,
        r.scope());
  }

  @Test
  void add_viaOnLinkGateway_returnsDone_thenAlready() throws IOException {
    assertEquals(Change.DONE, manager().add(VIA));
    assertEquals(Change.ALREADY, manager().add(VIA));
  }

  @Test
  void remove_presentRoute_returnsDone_thenAlready() throws IOException {
    manager().add(VIA);
    assertEquals(Change.DONE, manager().remove(VIA));
    assertEquals(Change.ALREADY, manager().remove(VIA));
    assertEquals(Change.DONE, manager().add(VIA), "gone, so it can be added again");
  }

  @Test
  void remove_absentRoute_returnsAlready() throws IOException {
    assertEquals(Change.ALREADY, manager().remove(Route.via("203.0.113.0/24", "192.0.2.254")));
  }

  @Test
  void add_sameDestinationAndMetricOtherGateway_returnsAlready_andTheFirstRouteStays() throws IOException {
    manager().add(VIA);
    Route other = Route.via("198.51.100.0/24", "192.0.2.253");
    assertEquals(Change.ALREADY, manager().add(other), "the kernel keys a route by destination, table and metric");
    assertEquals(Change.ALREADY, manager().remove(other), "the other gateway's route is not there");
    assertEquals(Change.DONE, manager().remove(VIA));
  }

  @Test
  void add_otherMetricOrTable_isAnotherRoute() throws IOException {
    manager().add(VIA);
    assertEquals(Change.DONE, manager().add(with(VIA, 5, Route.TABLE_MAIN)));
    assertEquals(Change.DONE, manager().add(with(VIA, 0, 100)));
    assertEquals(Change.ALREADY, manager().remove(with(VIA, 7, Route.TABLE_MAIN)), "no route of metric 7");
    assertEquals(Change.DONE, manager().remove(with(VIA, 5, Route.TABLE_MAIN)));
    assertEquals(Change.DONE, manager().remove(with(VIA, 0, 100)));
    assertEquals(Change.DONE, manager().remove(VIA));
  }

  @Test
  void add_destinationWithHostBits_isTheMaskedNetwork() throws IOException {
    assertEquals(Change.DONE, manager().add(Route.via("198.51.100.77/24", "192.0.2.254")));
    assertEquals(Change.ALREADY, manager().add(VIA));
    assertEquals(Change.DONE, manager().remove(VIA));
  }

  @Test
  void add_deviceRoute_makesGatewaysBehindItReachable() throws IOException {
    assertEquals(Change.DONE, manager().add(Route.dev("203.0.113.0/24", interfaceName())));
    assertEquals(Change.ALREADY, manager().add(Route.dev("203.0.113.0/24", interfaceName())));
    assertEquals(Change.DONE, manager().add(Route.via("198.51.100.0/24", "203.0.113.7")));
  }

  @Test
  void add_gatewayOffLink_throwsKernelExceptionNamingTheRoute() {
    KernelException e = assertThrows(KernelException.class,
        () -> manager().add(Route.via("203.0.113.0/24", "10.255.255.1")));
    assertEquals(Errno.ENETUNREACH, e.errno(), e::getMessage);
    assertTrue(e.getMessage().startsWith("rtnetlink add route 203.0.113.0/24 via 10.255.255.1: ENETUNREACH"),
        e::getMessage);
  }

  @Test
  void add_missingInterface_throwsEnodevNamingIt() {
    KernelException e = assertThrows(KernelException.class,
        () -> manager().add(Route.dev("203.0.113.0/24", missingInterface())));
    assertEquals(Errno.ENODEV, e.errno(), e::getMessage);
    assertTrue(e.getMessage().contains(missingInterface()), e::getMessage);
  }

  @Test
  void add_sourceNotLocal_throwsEinval_localSourceIsDone() throws IOException {
    IfAddress net = IfAddress.parse("203.0.113.0/24");
    Route foreign = new Route(net.address(), 24, null, interfaceName(), Inet.parse("198.51.100.1"), 0,
        Route.TABLE_MAIN, IfAddress.SCOPE_LINK);
    KernelException e = assertThrows(KernelException.class, () -> manager().add(foreign));
    assertEquals(Errno.EINVAL, e.errno(), e::getMessage);
    Route own = new Route(net.address(), 24, null, interfaceName(), Inet.parse("192.0.2.1"), 0, Route.TABLE_MAIN,
        IfAddress.SCOPE_LINK);
    assertEquals(Change.DONE, manager().add(own));
  }

  @Test
  void ipv6_sameDestinationOtherGateway_isAlready_offLinkGatewayIsEhostunreach() throws IOException {
    assertEquals(Change.DONE, manager().add(Route.via("2001:db8:2::/64", "2001:db8:1::fe")));
    assertEquals(Change.ALREADY, manager().add(Route.via("2001:db8:2::/64", "2001:db8:1::fd")));
    KernelException e = assertThrows(KernelException.class,
        () -> manager().add(Route.via("2001:db8:3::/64", "2001:db8:9::1")));
    assertEquals(Errno.EHOSTUNREACH, e.errno(), e::getMessage);
    assertEquals(Change.DONE, manager().remove(Route.via("2001:db8:2::/64", "2001:db8:1::fe")));
  }

  @Test
  void ipv6_linkLocalGateway_needsTheDevice() throws IOException {
    KernelException e = assertThrows(KernelException.class,
        () -> manager().add(Route.via("2001:db8:4::/64", "fe80::1")));
    assertEquals(Errno.EINVAL, e.errno(), e::getMessage);
    Route viaDev = new Route(Inet.parse("2001:db8:4::"), 64, Inet.parse("fe80::1"), interfaceName(), null, 0,
        Route.TABLE_MAIN, 0);
    assertEquals(Change.DONE, manager().add(viaDev));
    assertEquals(Change.DONE, manager().remove(viaDev));
  }
}

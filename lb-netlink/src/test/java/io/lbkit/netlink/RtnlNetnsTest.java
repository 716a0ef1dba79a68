package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.netlink.rtnl.Address;
import io.lbkit.netlink.rtnl.Link;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** netns tier: addresses, links and routes in a namespace the test makes, checked against {@code ip}. */
class RtnlNetnsTest {
  private NetNs ns;
  private NetlinkAddressManager addrs;
  private NetlinkRouteManager routes;

  @BeforeEach
  void namespace() throws IOException {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
    ns.addDummy("vip0").up("vip0").addAddress("vip0", "10.7.0.1/24");
    addrs = NetlinkAddressManager.open(ns.name());
    routes = NetlinkRouteManager.open(ns.name());
  }

  @AfterEach
  void cleanUp() throws IOException {
    try {
      if (addrs != null) {
        addrs.close();
      }
      if (routes != null) {
        routes.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  private String ipAddr() {
    return String.join("\n", ns.addressLines("vip0"));
  }

  @Test
  void add_ipv4AndIpv6Vips_showInIpAddrAsHostRoutesWithNodad() throws IOException {
    assertThat(addrs.add("vip0", IfAddress.parse("192.0.2.200"))).isEqualTo(Change.DONE);
    assertThat(addrs.add("vip0", IfAddress.parse("2001:db8::200"))).isEqualTo(Change.DONE);

    assertThat(ipAddr()).contains("inet 192.0.2.200/32 scope global vip0")
        .containsPattern("inet6 2001:db8::200/128 scope global [^\\n]*nodad");
    List<IfAddress> listed = addrs.addresses("vip0");
    assertThat(listed).contains(IfAddress.parse("192.0.2.200"), IfAddress.parse("10.7.0.1/24"));
    assertThat(listed).filteredOn(a -> a.address().equals(Inet.parse("2001:db8::200")))
        .singleElement().satisfies(a -> assertThat(a.noDad()).isTrue());
  }

  @Test
  void addresses_afterAddsAndDeletes_equalIpAddrListing() throws IOException {
    addrs.add("vip0", IfAddress.parse("192.0.2.200"));
    addrs.add("vip0", IfAddress.parse("192.0.2.201"));
    addrs.add("vip0", IfAddress.parse("2001:db8::200"));
    addrs.add("vip0", IfAddress.parse("2001:db8::201"));
    addrs.remove("vip0", IfAddress.parse("192.0.2.201"));
    addrs.remove("vip0", IfAddress.parse("2001:db8::201"));

    // "4: vip0    inet 192.0.2.200/32 scope global vip0\ ..." -> "192.0.2.200/32"
    Set<String> byIp = ns.addressLines("vip0").stream().map(l -> l.trim().split("\\s+")[3])
        .collect(Collectors.toSet());
    Set<String> byLbkit = addrs.addresses("vip0").stream()
        .map(a -> Inet.format(a.address()) + "/" + a.prefixLength()).collect(Collectors.toSet());
    assertThat(byLbkit).isEqualTo(byIp).contains("192.0.2.200/32", "2001:db8::200/128", "10.7.0.1/24")
        .doesNotContain("192.0.2.201/32", "2001:db8::201/128");
  }

  @Test
  void add_existingAndRemoveAbsent_areAlreadyNotErrors() throws IOException {
    IfAddress vip = IfAddress.parse("2001:db8::201");
    addrs.add("vip0", vip);
    assertThat(addrs.add("vip0", vip)).isEqualTo(Change.ALREADY);
    assertThat(addrs.remove("vip0", vip)).isEqualTo(Change.DONE);
    assertThat(addrs.remove("vip0", vip)).isEqualTo(Change.ALREADY);
    assertThat(ipAddr()).doesNotContain("2001:db8::201");
  }

  @Test
  void addresses_addedByIpWithLabelAndBroadcast_readBackExactly() throws IOException {
    ns.ip("addr", "add", "10.8.0.5/24", "brd", "10.8.0.255", "label", "vip0:x", "dev", "vip0");
    Address a = addrs.details("vip0").stream().filter(d -> d.address().address().equals(Inet.parse("10.8.0.5")))
        .findFirst().orElseThrow();
    assertThat(a.address()).isEqualTo(new IfAddress(Inet.parse("10.8.0.5"), 24, "vip0:x", 0,
        Inet.parse("10.8.0.255"), false));
    assertThat(a.ifIndex()).isEqualTo(ns.ifIndex("vip0"));
    assertThat(a.validLifetime()).isEqualTo(-1);
  }

  @Test
  void link_byNameAndIndex_matchesIpLink() throws IOException {
    Link l = addrs.link("vip0");
    String ip = ns.ip("-o", "link", "show", "dev", "vip0");
    assertThat(l.index()).isEqualTo(ns.ifIndex("vip0"));
    assertThat(l.isUp()).isTrue();
    assertThat(ip).contains("mtu " + l.mtu() + " ").contains("link/ether " + l.mac());
    assertThat(addrs.link(l.index())).isEqualTo(l);
    assertThat(addrs.links()).extracting(Link::name).contains("lo", "vip0");

    addrs.setUp("vip0", false);
    assertThat(addrs.link("vip0").isUp()).isFalse();
    assertThat(ns.ip("-o", "link", "show", "dev", "vip0")).doesNotContain(",UP").contains("state DOWN");
  }

  @Test
  void link_missing_throwsEnodevNamingIt() {
    assertThatThrownBy(() -> addrs.link("nosuch0")).isInstanceOf(KernelException.class)
        .hasMessage("rtnetlink get link nosuch0: ENODEV (No such device)")
        .extracting(e -> ((KernelException) e).errno()).isEqualTo(Errno.ENODEV);
  }

  @Test
  void routes_addedViaGatewayAndDevice_showInIpRouteAndRemoveIdempotently() throws IOException {
    Route via = Route.via("10.50.0.0/16", "10.7.0.254");
    Route dev = Route.dev("10.51.0.0/16", "vip0");
    Route v6 = new Route(Inet.parse("2001:db8:5::"), 48, null, "vip0", null, 0, 100, 0);
    assertThat(routes.add(via)).isEqualTo(Change.DONE);
    assertThat(routes.add(dev)).isEqualTo(Change.DONE);
    assertThat(routes.add(v6)).isEqualTo(Change.DONE);
    assertThat(routes.add(via)).isEqualTo(Change.ALREADY);

    assertThat(ns.ip("route", "show")).contains("10.50.0.0/16 via 10.7.0.254 dev vip0 proto keepalived")
        .contains("10.51.0.0/16 dev vip0 proto keepalived scope link");
    assertThat(ns.ip("-6", "route", "show", "table", "100")).contains("2001:db8:5::/48 dev vip0 proto keepalived");

    assertThat(routes.remove(via)).isEqualTo(Change.DONE);
    assertThat(routes.remove(via)).isEqualTo(Change.ALREADY);
    assertThat(routes.remove(v6)).isEqualTo(Change.DONE);
    assertThat(ns.ip("route", "show")).doesNotContain("10.50.0.0/16").contains("10.51.0.0/16");
  }

  @Test
  void addRoute_unreachableGateway_throwsKernelExceptionNotAlready() {
    assertThatThrownBy(() -> routes.add(Route.via("10.60.0.0/16", "172.31.9.9")))
        .isInstanceOf(KernelException.class)
        .hasMessageStartingWith("rtnetlink add route 10.60.0.0/16 via 172.31.9.9: ENETUNREACH");
  }

  @Test
  void add_onMissingInterface_throwsEnodev() {
    assertThatThrownBy(() -> addrs.add("nosuch0", IfAddress.parse("192.0.2.9")))
        .isInstanceOf(KernelException.class).hasMessageContaining("nosuch0").hasMessageContaining("ENODEV");
  }
}

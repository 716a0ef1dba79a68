package io.lbkit.netlink;

import io.lbkit.api.net.RouteManager;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.testing.RouteManagerContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * netns tier: the kernel passes the same {@link RouteManagerContract} as lb-testing's
 * FakeRouteManager, each test in a fresh namespace with one up interface and its addresses.
 */
class NetlinkRouteManagerContractTest extends RouteManagerContract {
  private NetNs ns;
  private NetlinkRouteManager manager;

  @BeforeEach
  void namespaceWithInterface() throws IOException {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
    ns.addDummy("rt0").up("rt0").addAddress("rt0", V4_ADDRESS).addAddress("rt0", V6_ADDRESS);
    manager = NetlinkRouteManager.open(ns.name());
  }

  @AfterEach
  void cleanUp() throws IOException {
    try {
      if (manager != null) {
        manager.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Override
  protected RouteManager manager() {
    return manager;
  }

  @Override
  protected String interfaceName() {
    return "rt0";
  }
}

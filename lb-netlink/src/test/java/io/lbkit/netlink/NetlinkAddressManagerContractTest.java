package io.lbkit.netlink;

import io.lbkit.api.net.AddressManager;
import io.lbkit.harness.Tiers;
import io.lbkit.testing.AddressManagerContract;
import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * netns tier: the kernel passes the same {@link AddressManagerContract} as lb-testing's
 * FakeAddressManager, each test on a fresh interface in a fresh namespace.
 */
class NetlinkAddressManagerContractTest extends AddressManagerContract {
  private NetNs ns;
  private NetlinkAddressManager manager;

  @BeforeEach
  void namespaceWithInterface() throws IOException {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
    ns.addDummy("vip0").up("vip0");
    manager = NetlinkAddressManager.open(ns.name());
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
  protected AddressManager manager() {
    return manager;
  }

  @Override
  protected String interfaceName() {
    return "vip0";
  }
}

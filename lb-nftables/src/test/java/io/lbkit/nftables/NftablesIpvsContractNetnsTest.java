package io.lbkit.nftables;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.testing.NftablesContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * netns tier: NftablesIpvs on the real kernel passes the same {@link NftablesContract} as
 * lb-testing's FakeNftables, in one namespace this class creates (each test opens a new
 * handle and starts from a flushed table).
 */
class NftablesIpvsContractNetnsTest extends NftablesContract {
  private static NetNs ns;

  @BeforeAll
  static void namespace() {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
    // the contract's direct-routing real servers (198.51.100.0/24) must be on a link of the director
    NetNs.veth(ns, "eth0", ns, "eth1");
    ns.addAddress("eth0", "198.51.100.1/24");
  }

  @AfterAll
  static void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  @Override
  protected Ipvs open() throws IOException {
    return NftablesIpvs.open(ns.name());
  }
}

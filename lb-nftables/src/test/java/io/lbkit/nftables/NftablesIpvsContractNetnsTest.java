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

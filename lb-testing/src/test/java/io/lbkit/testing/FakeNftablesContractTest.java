package io.lbkit.testing;

import io.lbkit.api.ipvs.Ipvs;

/** FakeNftables keeps NftablesIpvs' semantics: the same contract NftablesIpvs passes in a network namespace. */
class FakeNftablesContractTest extends NftablesContract {
  @Override
  protected Ipvs open() {
    return new FakeNftables();
  }
}

package io.lbkit.testing;

import io.lbkit.api.ipvs.Ipvs;

/** FakeIpvs keeps the kernel's semantics: the same contract NetlinkIpvs passes in the kernel VM. */
class FakeIpvsContractTest extends IpvsContract {
  @Override
  protected Ipvs open() {
    return new FakeIpvs();
  }
}

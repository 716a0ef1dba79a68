package io.lbkit.testing;

import io.lbkit.api.net.AddressManager;
import io.lbkit.testing.FakeAddressManager;

/** The fake passes the same contract as the kernel adapter (lb-netlink's NetlinkAddressManagerContractTest). */
class FakeAddressManagerContractTest extends AddressManagerContract {
  private final FakeAddressManager fake = new FakeAddressManager("vip0");

  @Override
  protected AddressManager manager() {
    return fake;
  }

  @Override
  protected String interfaceName() {
    return "vip0";
  }
}

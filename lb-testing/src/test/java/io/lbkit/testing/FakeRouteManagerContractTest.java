package io.lbkit.testing;

import io.lbkit.api.net.RouteManager;

/** The fake passes the same contract as the kernel adapter (lb-netlink's NetlinkRouteManagerContractTest). */
class FakeRouteManagerContractTest extends RouteManagerContract {
  private final FakeRouteManager fake = new FakeRouteManager("rt0")
      .addAddress("rt0", V4_ADDRESS).addAddress("rt0", V6_ADDRESS);

  @Override
  protected RouteManager manager() {
    return fake;
  }

  @Override
  protected String interfaceName() {
    return "rt0";
  }
}

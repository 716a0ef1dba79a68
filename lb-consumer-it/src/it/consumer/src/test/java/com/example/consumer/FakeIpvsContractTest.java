package com.example.consumer;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.IpvsContract;

/**
 * lb-testing's contract, inherited by a user's test class and run by the user's JUnit
 * (5.10.3 here): the way a user proves their own Ipvs adapter, shown on FakeIpvs.
 */
class FakeIpvsContractTest extends IpvsContract {
  @Override
  protected Ipvs open() {
    return new FakeIpvs();
  }
}

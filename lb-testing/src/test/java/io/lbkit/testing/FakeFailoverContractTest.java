package io.lbkit.testing;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;

/** The fake passes the same contract as lb-vrrp's VrrpFailover (VrrpFailoverContractTest). */
class FakeFailoverContractTest extends FailoverContract {
  @Override
  protected Failover failover(AddressManager addresses, VrrpListener listener) {
    return new FakeFailover(addresses).addListener(listener);
  }

  @Override
  protected void becomeMaster(Failover failover, String instance) {
    ((FakeFailover) failover).setState(instance, VrrpState.MASTER);
  }
}

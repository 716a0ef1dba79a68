package io.lbkit.vrrp;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.testing.FailoverContract;
import io.lbkit.testing.ManualClock;
import java.time.Duration;

/** VrrpFailover passes lb-testing's Failover contract, alone on an in-memory link, on a manual clock. */
class VrrpFailoverContractTest extends FailoverContract {
  private final ManualClock clock = new ManualClock();
  private final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);

  @Override
  protected Failover failover(AddressManager addresses, VrrpListener listener) {
    return VrrpFailover.create(() -> VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), addresses, clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).listener(listener));
  }

  @Override
  protected void becomeMaster(Failover failover, String instance) {
    // alone on the link: the master-down interval (about 3.4 s at priority 150 or more, 1 s adverts) expires
    clock.advance(Duration.ofSeconds(4));
  }
}

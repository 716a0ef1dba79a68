package io.lbkit.vrrp;

import io.lbkit.api.net.Inet;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;

/** The in-memory network's hosts keep the transport contract that RawVrrpTransport keeps on a real link. */
class InMemoryVrrpTransportContractTest extends VrrpTransportContract {
  private static final InetAddress A = Inet.parse("10.0.0.1");
  private static final InetAddress B = Inet.parse("10.0.0.2");
  private final ManualClock clock = new ManualClock();
  private final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ofMillis(1));
  private final VrrpTransport a = net.host(A);
  private final VrrpTransport b = net.host(B);

  @Override
  protected VrrpTransport hostA() {
    return a;
  }

  @Override
  protected VrrpTransport hostB() {
    return b;
  }

  @Override
  protected InetAddress addressA() {
    return A;
  }

  @Override
  protected InetAddress addressB() {
    return B;
  }

  @Override
  protected void deliver() {
    clock.advance(Duration.ofMillis(1));
  }

  @Override
  protected Duration quietPeriod() {
    return Duration.ZERO; // delivery happened inside deliver()
  }
}

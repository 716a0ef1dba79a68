package io.lbkit.vrrp.netns;

import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Lan;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpTransport;
import io.lbkit.vrrp.VrrpTransportContract;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * netns tier: RawVrrpTransport keeps the transport contract between two namespaces the
 * test creates ({@link Lan}: each has an eth0 on one bridge), with real raw sockets.
 */
class RawVrrpTransportNetnsTest extends VrrpTransportContract {
  private static Lan lan;
  private final VrrpTransport a = RawVrrpTransport.open(lan.member(0).name());
  private final VrrpTransport b = RawVrrpTransport.open(lan.member(1).name());

  @BeforeAll
  static void lan() {
    Tiers.requireRoot("creates network namespaces and raw sockets");
    lan = Lan.create(2, "10.9.0.0/24");
  }

  @AfterAll
  static void close() {
    if (lan != null) {
      lan.close();
    }
  }

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
    return Inet.parse(lan.address(0));
  }

  @Override
  protected InetAddress addressB() {
    return Inet.parse(lan.address(1));
  }

  @Override
  protected void deliver() {
    // real threads deliver
  }

  @Override
  protected Duration quietPeriod() {
    return Duration.ofMillis(300);
  }
}

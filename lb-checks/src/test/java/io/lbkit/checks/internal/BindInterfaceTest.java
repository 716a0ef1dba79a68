package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/** bind_if as keepalived uses it: the scope of IPv6 link-local addresses. */
class BindInterfaceTest {
  @Test
  void linkLocalIpv6_getsTheInterfaceAsItsScope() throws Exception {
    NetworkInterface lo = NetworkInterface.getByName("lo");
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("fe80::1"), 80);
    InetSocketAddress s = Probes.scoped(a, lo);
    assertThat(((Inet6Address) s.getAddress()).getScopeId()).isEqualTo(lo.getIndex()).isPositive();
    assertThat(s.getPort()).isEqualTo(80);
  }

  @Test
  void otherAddresses_areLeftAsTheyAre() throws Exception {
    NetworkInterface lo = NetworkInterface.getByName("lo");
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
    InetSocketAddress global = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 80);
    assertThat(Probes.scoped(v4, lo)).isSameAs(v4);
    assertThat(Probes.scoped(global, lo)).isSameAs(global);
    assertThat(Probes.scoped(null, lo)).isNull();
    assertThat(Probes.scoped(v4, null)).isSameAs(v4);
  }
}

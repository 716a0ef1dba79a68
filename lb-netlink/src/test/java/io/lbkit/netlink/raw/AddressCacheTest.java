package io.lbkit.netlink.raw;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressCacheTest {
  final AddressCache cache = new AddressCache();

  static ByteBuffer at(int off, InetAddress a) {
    ByteBuffer b = ByteBuffer.allocate(off + 16);
    b.put(off, a.getAddress());
    return b;
  }

  @Test
  void sameBytes_sameInstance() {
    InetAddress a = cache.get(at(12, Inet.parse("10.0.0.1")), 12, 4);
    assertThat(a).isEqualTo(Inet.parse("10.0.0.1"));
    assertThat(cache.get(at(3, Inet.parse("10.0.0.1")), 3, 4)).isSameAs(a);
  }

  @Test
  void ipv6_andIpv4_areTheirOwnAddresses() {
    assertThat(cache.get(at(0, Inet.parse("fe80::a")), 0, 16)).isEqualTo(Inet.parse("fe80::a"));
    assertThat(cache.get(at(0, Inet.parse("fe80::a")), 0, 4)).isEqualTo(Inet.parse("254.128.0.0"));
  }

  @Test
  void manyAddresses_collidingInSlots_eachLookupIsRight() {
    Set<InetAddress> seen = new HashSet<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 300; i++) {
        InetAddress want = Inet.parse("10.0." + (i / 256) + "." + (i % 256));
        InetAddress got = cache.get(at(0, want), 0, 4);
        assertThat(got).isEqualTo(want);
        seen.add(got);
      }
    }
    assertThat(seen).hasSize(300);
  }
}

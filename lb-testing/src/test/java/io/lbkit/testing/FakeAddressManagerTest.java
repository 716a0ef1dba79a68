package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.api.net.IfAddress;
import org.junit.jupiter.api.Test;

class FakeAddressManagerTest {
  final FakeAddressManager am = new FakeAddressManager("eth0");
  final IfAddress vip = IfAddress.parse("192.168.0.200");

  @Test
  void addTwice_isAlready_notAnError() throws Exception {
    assertThat(am.add("eth0", vip)).isEqualTo(Change.DONE);
    assertThat(am.add("eth0", vip)).isEqualTo(Change.ALREADY);
    assertThat(am.addresses("eth0")).containsExactly(vip);
  }

  @Test
  void removeAbsent_isAlready() throws Exception {
    assertThat(am.remove("eth0", vip)).isEqualTo(Change.ALREADY);
    am.add("eth0", vip);
    assertThat(am.remove("eth0", vip)).isEqualTo(Change.DONE);
    assertThat(am.log()).containsExactly("add eth0 192.168.0.200/32", "del eth0 192.168.0.200/32");
  }

  @Test
  void unknownInterface_failsWithEnodev() {
    assertThatThrownBy(() -> am.add("eth9", vip)).isInstanceOf(KernelException.class)
        .hasMessage("rtnetlink add address 192.168.0.200/32 on eth9: ENODEV (No such device)")
        .extracting(e -> ((KernelException) e).errno()).isEqualTo(Errno.ENODEV);
  }

  @Test
  void ipv6Vip_isHostPrefixWithoutDad() {
    IfAddress v6 = IfAddress.parse("2001:db8::200");
    assertThat(v6.prefixLength()).isEqualTo(128);
    assertThat(v6.noDad()).isTrue();
    assertThatThrownBy(() -> IfAddress.parse("10.0.0.1/33")).hasMessageContaining("0-32: 33");
  }
}

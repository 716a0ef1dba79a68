package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.DirectRoutingRealServer;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectRoutingRealServerTest {
  final FakeAddressManager addresses = new FakeAddressManager("lo", "eth0");
  final FakeSysctl sysctl = new FakeSysctl()
      .define("net.ipv4.conf.all.arp_ignore", "0").define("net.ipv4.conf.all.arp_announce", "0")
      .define("net.ipv4.conf.eth0.arp_ignore", "0").define("net.ipv4.conf.eth0.arp_announce", "0");

  @Test
  void prepare_putsVipOnLoopback_andStopsArpForIt_undoRestoresAll() throws Exception {
    var vip = Inet.parse("192.168.0.200");
    DirectRoutingRealServer.Prepared p = DirectRoutingRealServer.prepare(addresses, sysctl, List.of(vip), "eth0");
    assertThat(addresses.addresses("lo")).containsExactly(IfAddress.vip(vip).withScope(IfAddress.SCOPE_HOST));
    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("2");
    p.undo();
    assertThat(addresses.addresses("lo")).isEmpty();
    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("0");
    p.undo();
    assertThat(sysctl.writes()).hasSize(8);
  }

  @Test
  void vipAlreadyOnLoopback_isLeftThereOnUndo() throws Exception {
    var vip = Inet.parse("192.168.0.200");
    addresses.add("lo", IfAddress.vip(vip));
    try (var p = DirectRoutingRealServer.prepare(addresses, sysctl, List.of(vip), "eth0")) {
      assertThat(p.addedAddresses()).isEmpty();
    }
    assertThat(addresses.addresses("lo")).hasSize(1);
  }

  @Test
  void failureHalfway_undoesWhatWasChanged() throws Exception {
    var vip = Inet.parse("192.168.0.200");
    assertThatThrownBy(() -> DirectRoutingRealServer.prepare(addresses, sysctl, List.of(vip), "eth9"))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("eth9");
    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
    assertThat(addresses.addresses("lo")).isEmpty();
  }
}

package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start lists the VIP interfaces' addresses once (read-only), so a first takeover runs warm code. */
class VrrpRouterWarmUpTest {
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final FakeAddressManager fake = new FakeAddressManager("eth0", "eth1");
  final List<String> calls = new ArrayList<>();

  /** The fake, recording each call. */
  final AddressManager recording = new AddressManager() {
    @Override
    public List<IfAddress> addresses(String iface) throws IOException {
      calls.add("list " + iface);
      return fake.addresses(iface);
    }

    @Override
    public Change add(String iface, IfAddress a) throws IOException {
      calls.add("add " + iface);
      return fake.add(iface, a);
    }

    @Override
    public Change remove(String iface, IfAddress a) throws IOException {
      calls.add("remove " + iface);
      return fake.remove(iface, a);
    }
  };

  @Test
  void start_listsEachVipInterfaceOnce_touchesNoAddressUntilMaster() throws Exception {
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"), VirtualAddress.of("10.0.0.101"),
            new VirtualAddress(VirtualAddress.of("10.0.1.100").address(), "eth1"))).build();
    try (VrrpRouter r = VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), recording, clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true).instance(spec).build()) {
      r.start();
      assertThat(calls).containsExactly("list eth0", "list eth1");
      assertThat(fake.addresses("eth0")).isEmpty();
      clock.advance(Duration.ofMillis(3610));
      assertThat(calls).containsExactly("list eth0", "list eth1", "add eth0", "add eth0", "add eth1");
    }
  }

  @Test
  void start_unknownVipInterface_warmUpFailureDoesNotStopTheRouter() throws Exception {
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(new VirtualAddress(VirtualAddress.of("10.0.1.100").address(), "eth9"))).build();
    try (VrrpRouter r = VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), recording, clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true).instance(spec).build()) {
      r.start();
      assertThat(calls).containsExactly("list eth9");
      assertThat(r.instance("VI_1").state()).hasToString("BACKUP");
    }
  }
}

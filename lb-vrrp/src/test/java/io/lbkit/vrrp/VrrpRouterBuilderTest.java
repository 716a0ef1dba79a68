package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** What build() takes from its builder: a snapshot, not the builder itself. */
class VrrpRouterBuilderTest {
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final FakeAddressManager am = new FakeAddressManager("eth0");
  final Set<String> down = ConcurrentHashMap.newKeySet();
  final VrrpInstanceSpec vi = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(150)
      .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();

  VrrpRouter.Builder builder() {
    return VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), am, clock).notifyExecutor(Runnable::run)
        .scriptExecutor(Runnable::run).linkStatus(i -> !down.contains(i)).trackingInterval(Duration.ofSeconds(1))
        .instance(vi);
  }

  @Test
  void build_thenBuilderChanged_runningRouterKeepsWhatItWasBuiltWith() throws Exception {
    VrrpRouter.Builder b = builder();
    try (VrrpRouter r = b.build()) {
      List<String> late = new ArrayList<>();
      b.trackingInterval(Duration.ofHours(1)).listener((name, from, to, why) -> late.add(name + " " + to))
          .instance(VrrpInstanceSpec.builder("VI_2", "eth0", 52).priority(100).build());
      r.start();
      clock.advance(Duration.ofSeconds(4));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);

      down.add("eth0");
      clock.advance(Duration.ofSeconds(2));
      assertThat(r.instance("VI_1").state()).as("link polled every second, as built").isEqualTo(VrrpState.FAULT);
      assertThat(r.instances()).extracting(VrrpInstance::name).containsExactly("VI_1");
      assertThat(late).isEmpty();
    }
  }

  @Test
  void build_twice_buildsTwoIndependentRouters() throws Exception {
    VrrpRouter.Builder b = builder();
    VrrpRouter first = b.build();
    VrrpRouter second = b.instance(VrrpInstanceSpec.builder("VI_2", "eth0", 52).priority(100).build()).build();
    assertThat(first.instances()).extracting(VrrpInstance::name).containsExactly("VI_1");
    assertThat(second.instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
    first.close();
    second.close();
  }
}

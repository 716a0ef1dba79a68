package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.lbkit.vrrp.VrrpRouter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two copies of an application on an in-memory VRRP link and a manual clock. */
class MasterOnlyWorkTest {
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork link = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final List<String> log = new CopyOnWriteArrayList<>();

  MasterOnlyWork copy(int i) throws Exception {
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("JOB", "eth0", 7).priority(101 - i).version(3)
        .advertInterval(Duration.ofSeconds(1)).virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
    return MasterOnlyWork.start(VrrpRouter.builder(link.host(InetAddress.getByName("10.0.0." + i)),
        new FakeAddressManager("eth0"), clock).linkStatus(iface -> true).notifyExecutor(Runnable::run), spec,
        () -> log.add("copy" + i + " start"), () -> log.add("copy" + i + " stop"));
  }

  @Test
  void onlyTheMasterWorks_andTheBackupTakesOverWhenItStops() throws Exception {
    try (MasterOnlyWork one = copy(1); MasterOnlyWork two = copy(2)) {
      assertThat(one.working()).isFalse();
      clock.advance(Duration.ofMillis(3700)); // master-down interval: 3 s + skew
      assertThat(one.state()).isEqualTo(VrrpState.MASTER);
      assertThat(one.working()).isTrue();
      assertThat(two.state()).isEqualTo(VrrpState.BACKUP);
      assertThat(two.working()).isFalse();
      assertThat(log).containsExactly("copy1 start");

      one.close(); // priority 0: the backup takes over after its skew time, not the whole interval
      assertThat(one.working()).isFalse();
      clock.advance(Duration.ofMillis(1000));
      assertThat(two.working()).isTrue();
      assertThat(log).containsExactly("copy1 start", "copy1 stop", "copy2 start");
    }
  }

  @Test
  void masterCutOffTheLink_backupStartsWorkAfterTheMasterDownInterval() throws Exception {
    try (MasterOnlyWork one = copy(1); MasterOnlyWork two = copy(2)) {
      clock.advance(Duration.ofMillis(3700));
      assertThat(one.working()).isTrue();
      link.cut(InetAddress.getByName("10.0.0.1")); // its adverts are lost: a crash, as seen by copy 2
      clock.advance(Duration.ofMillis(3000));
      assertThat(two.working()).as("within 3 s: still waiting for the master").isFalse();
      clock.advance(Duration.ofMillis(700));
      assertThat(two.working()).isTrue();
    }
  }
}

package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VrrpRouter.tracking(): what scripts, track files and tracked links report, on a manual clock. */
class VrrpTrackingStatusTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final AtomicInteger exit = new AtomicInteger();
  final Set<String> down = new HashSet<>();

  @Test
  void tracking_scriptUnknownThenGoodThenBad_fileValueRead_linkState() throws Exception {
    Path file = Files.writeString(dir.resolve("tf"), "4\n");
    TrackedScript chk = new TrackedScript("chk", List.of("/bin/check", "s3cret-arg"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), -10, 1, 1, null);
    TrackedScript unused = new TrackedScript("unused", List.of("/bin/true"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 0, 1, 1, null);
    VrrpInstanceSpec.Builder s = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100")));
    s.trackScripts = Map.of("chk", OptionalInt.empty());
    s.trackFiles = Map.of("tf", OptionalInt.empty());
    s.trackInterfaces = Map.of("eth1", 0);
    try (VrrpRouter r = VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), new FakeAddressManager("eth0", "eth1"),
            clock).notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> !down.contains(i))
        .processRunner((argv, t) -> exit.get()).script(chk).script(unused).trackFile("tf", file, 1)
        .instance(s.build()).build()) {
      r.start();
      TrackingStatus t = r.tracking();
      assertThat(t.scripts().get("chk").result()).as("no run has ended").isEqualTo(TrackingStatus.Result.UNKNOWN);
      assertThat(t.files()).containsExactly(Map.entry("tf", 4L));
      assertThat(t.interfaces()).containsExactly(Map.entry("VI_1", Map.of("eth1", true)));

      clock.advance(Duration.ofSeconds(1));
      t = r.tracking();
      assertThat(t.scripts().get("chk")).isEqualTo(new TrackingStatus.Script(TrackingStatus.Result.GOOD, false));
      assertThat(t.scripts().get("unused").result()).as("tracked by no instance: not run")
          .isEqualTo(TrackingStatus.Result.UNKNOWN);

      exit.set(1);
      Files.writeString(file, "9\n");
      down.add("eth1");
      clock.advance(Duration.ofSeconds(1));
      t = r.tracking();
      assertThat(t.scripts().get("chk").result()).isEqualTo(TrackingStatus.Result.BAD);
      assertThat(t.files()).containsExactly(Map.entry("tf", 9L));
      assertThat(t.interfaces().get("VI_1")).containsExactly(Map.entry("eth1", false));
      assertThat(t.toString()).doesNotContain("s3cret-arg").doesNotContain(file.toString());
    }
  }
}

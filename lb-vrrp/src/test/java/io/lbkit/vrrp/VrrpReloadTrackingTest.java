package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that changes vrrp_scripts and track_files ({@link VrrpFailover#setConfiguration}):
 * the new tracking takes effect at once, and an instance that stays keeps its state and VIP.
 */
class VrrpReloadTrackingTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final FakeAddressManager am = new FakeAddressManager("eth0");
  final List<String> events = new ArrayList<>();
  /** Exit code per script command (its first word); runs counted per command. */
  final Map<String, Integer> exits = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  VrrpFailover vrrp;

  @BeforeEach
  void failover() {
    vrrp = VrrpFailover.create(() -> VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), am, clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true)
        .processRunner((argv, timeout) -> {
          runs.computeIfAbsent(argv.get(0), k -> new AtomicInteger()).incrementAndGet();
          return exits.getOrDefault(argv.get(0), 0);
        })
        .listener((name, from, to, why) -> events.add(name + " " + from + "->" + to)));
  }

  @AfterEach
  void close() {
    vrrp.close();
  }

  static VrrpInstanceSpec instance(Map<String, OptionalInt> scripts, Map<String, OptionalInt> files) {
    VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100")));
    b.trackScripts = scripts;
    b.trackFiles = files;
    return b.build();
  }

  static TrackedScript script(String name, String command, int weight) {
    return new TrackedScript(name, List.of(command), Duration.ofSeconds(1), Duration.ofSeconds(1), weight, 1, 1,
        null);
  }

  /** Starts VI_1 without tracking and lets it become master. */
  void masterWithoutTracking() throws Exception {
    vrrp.setConfiguration(List.of(instance(Map.of(), Map.of())), List.of(), List.of(), List.of());
    clock.advance(Duration.ofSeconds(5));
    assertThat(vrrp.status().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
    assertThat(events).containsExactly("VI_1 INIT->BACKUP", "VI_1 BACKUP->MASTER");
  }

  int priority() {
    return vrrp.status().get("VI_1").priority();
  }

  @Test
  void reload_newScriptWithWeight_raisesPriorityAtOnce_noTransitionNoVipChange() throws Exception {
    masterWithoutTracking();
    List<String> addressLog = am.log();
    vrrp.setConfiguration(List.of(instance(Map.of("chk", OptionalInt.of(10)), Map.of())), List.of(),
        List.of(script("chk", "/bin/chk", 0)), List.of());
    assertThat(priority()).isEqualTo(110);
    clock.advance(Duration.ofSeconds(3));
    assertThat(runs.get("/bin/chk")).as("the new script runs").hasValueGreaterThanOrEqualTo(3);
    assertThat(priority()).isEqualTo(110);
    assertThat(events).containsExactly("VI_1 INIT->BACKUP", "VI_1 BACKUP->MASTER");
    assertThat(am.log()).isEqualTo(addressLog);
    assertThat(am.has("eth0", Inet.parse("10.0.0.100"))).isTrue();
  }

  @Test
  void reload_scriptWeightOnlyChanged_keepsItsFailedStatus_newWeightAtOnce() throws Exception {
    exits.put("/bin/chk", 1);
    VrrpInstanceSpec tracking = instance(Map.of("chk", OptionalInt.empty()), Map.of());
    vrrp.setConfiguration(List.of(tracking), List.of(), List.of(script("chk", "/bin/chk", -20)), List.of());
    clock.advance(Duration.ofSeconds(5));
    assertThat(priority()).isEqualTo(80);
    int ranBefore = runs.get("/bin/chk").get();
    vrrp.setConfiguration(List.of(tracking), List.of(), List.of(script("chk", "/bin/chk", -30)), List.of());
    assertThat(priority()).as("still failed, now weighed -30").isEqualTo(70);
    assertThat(runs.get("/bin/chk").get()).as("not restarted").isEqualTo(ranBefore);
  }

  @Test
  void reload_scriptCommandChanged_oldLoopEnds_newCommandRunsFromOk() throws Exception {
    exits.put("/bin/old", 1);
    VrrpInstanceSpec tracking = instance(Map.of("chk", OptionalInt.empty()), Map.of());
    vrrp.setConfiguration(List.of(tracking), List.of(), List.of(script("chk", "/bin/old", -20)), List.of());
    clock.advance(Duration.ofSeconds(5));
    assertThat(priority()).isEqualTo(80);
    vrrp.setConfiguration(List.of(tracking), List.of(), List.of(script("chk", "/bin/new", -20)), List.of());
    int oldRuns = runs.get("/bin/old").get();
    clock.advance(Duration.ofSeconds(5));
    assertThat(runs.get("/bin/old").get()).isEqualTo(oldRuns);
    assertThat(runs.get("/bin/new")).hasValueGreaterThanOrEqualTo(5);
    assertThat(priority()).isEqualTo(100);
  }

  @Test
  void reload_scriptNoLongerTracked_stopsRunning_priorityBack() throws Exception {
    exits.put("/bin/chk", 1);
    vrrp.setConfiguration(List.of(instance(Map.of("chk", OptionalInt.empty()), Map.of())), List.of(),
        List.of(script("chk", "/bin/chk", -20)), List.of());
    clock.advance(Duration.ofSeconds(5));
    assertThat(priority()).isEqualTo(80);
    vrrp.setConfiguration(List.of(instance(Map.of(), Map.of())), List.of(), List.of(script("chk", "/bin/chk", -20)),
        List.of());
    int ran = runs.get("/bin/chk").get();
    clock.advance(Duration.ofSeconds(5));
    assertThat(runs.get("/bin/chk").get()).isEqualTo(ran);
    assertThat(priority()).isEqualTo(100);
  }

  @Test
  void reload_newTrackFile_valueTimesWeightAtOnce_initFileWritten() throws Exception {
    masterWithoutTracking();
    Path f = dir.resolve("prio");
    vrrp.setConfiguration(List.of(instance(Map.of(), Map.of("tf", OptionalInt.empty()))), List.of(), List.of(),
        List.of(new TrackedFile("tf", f, 5, false, 3L, false)));
    assertThat(Files.readString(f).trim()).isEqualTo("3");
    assertThat(priority()).isEqualTo(115);
    assertThat(events).containsExactly("VI_1 INIT->BACKUP", "VI_1 BACKUP->MASTER");
  }

  @Test
  void reload_trackingAnUndefinedScript_isRefused_runningConfigurationKept() throws Exception {
    masterWithoutTracking();
    assertThatThrownBy(() -> vrrp.setConfiguration(List.of(instance(Map.of("nope", OptionalInt.of(5)), Map.of())),
        List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("track_script nope");
    assertThat(priority()).isEqualTo(100);
    // the refused configuration was not recorded: applying the running one again is a no-op, a good one applies
    vrrp.setConfiguration(List.of(instance(Map.of("chk", OptionalInt.of(7)), Map.of())), List.of(),
        List.of(script("chk", "/bin/chk", 0)), List.of());
    assertThat(priority()).isEqualTo(107);
    assertThat(events).containsExactly("VI_1 INIT->BACKUP", "VI_1 BACKUP->MASTER");
  }
}

package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.api.net.Inet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 point 3: vrrp_scripts run as their user; unsafe ones are refused under enable_script_security. */
class VrrpScriptSecurityTest {
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);

  @TempDir
  Path tmp;

  static boolean root() throws Exception {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  /** A directory root owns, mode 0755 (the temp dir's parents are root's and not group/world-writable: /tmp is sticky). */
  Path safeDir() throws Exception {
    Path d = Files.createDirectory(tmp.resolve("safe"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    return d;
  }

  /** A shell script writing {@code id -u} to {@code out}. */
  static Path script(Path dir, String name, Path out, String mode, int exit) throws Exception {
    Path s = dir.resolve(name);
    Files.writeString(s, "#!/bin/sh\nid -u > " + out + "\nexit " + exit + "\n");
    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString(mode));
    return s;
  }

  /** A world-writable directory for the scripts' output (a script run as nobody writes there). */
  Path outDir() throws Exception {
    Path o = Files.createDirectory(tmp.resolve("out"));
    Files.setPosixFilePermissions(o, PosixFilePermissions.fromString("rwxrwxrwx"));
    return o;
  }

  VrrpRouter router(ScriptPolicy policy, TrackedScript script) throws Exception {
    VrrpInstanceSpec.Builder sb = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100")));
    sb.trackScripts = Map.of(script.name(), OptionalInt.empty());
    VrrpRouter r = VrrpRouter.builder(net.host(Inet.parse("10.0.0.2")), new FakeAddressManager("eth0"), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true)
        .scriptPolicy(policy).script(script).instance(sb.build()).build();
    r.start();
    return r;
  }

  static TrackedScript tracked(Path script, int weight, String user) {
    return new TrackedScript("chk", List.of(script.toString()), Duration.ofSeconds(1), Duration.ofSeconds(5), weight,
        1, 1, user);
  }

  @Test
  void scriptWithUserNobody_runsAsNobody() throws Exception {
    assumeTrue(root(), "switching users needs root");
    Path out = outDir().resolve("uid");
    Path s = script(safeDir(), "chk.sh", out, "rwxr-xr-x", 0);
    try (VrrpRouter r = router(ScriptPolicy.keepalived(true, "root", null), tracked(s, 0, "nobody"))) {
      clock.advance(Duration.ofMillis(10));
      assertThat(Files.readString(out).trim()).isEqualTo(uidOf("nobody"));
    }
  }

  @Test
  void worldWritableScript_withScriptSecurity_refused_notRun_notTracked() throws Exception {
    assumeTrue(root(), "the unsafe rule applies to scripts run as root");
    Path out = outDir().resolve("uid");
    Path s = script(safeDir(), "chk.sh", out, "rwxrwxrwx", 1);
    // weight -50: had it run (exit 1) and been tracked, the priority would drop to 50; refused, it is not tracked
    try (VrrpRouter r = router(ScriptPolicy.keepalived(true, "root", null), tracked(s, -50, null))) {
      clock.advance(Duration.ofSeconds(5));
      assertThat(out).doesNotExist();
      assertThat(r.instance("VI_1").effectivePriority()).isEqualTo(100);
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(r.refusedScripts()).containsOnlyKeys("chk");
      assertThat(r.refusedScripts().get("chk")).contains(s.toString()).contains("writable");
    }
  }

  @Test
  void worldWritableScript_withoutScriptSecurity_runs() throws Exception {
    assumeTrue(root(), "the unsafe rule applies to scripts run as root");
    Path out = outDir().resolve("uid");
    Path s = script(safeDir(), "chk.sh", out, "rwxrwxrwx", 0);
    try (VrrpRouter r = router(ScriptPolicy.keepalived(false, "root", null), tracked(s, 0, null))) {
      clock.advance(Duration.ofMillis(10));
      assertThat(Files.readString(out).trim()).isEqualTo("0");
      assertThat(r.refusedScripts()).isEmpty();
    }
  }

  static String uidOf(String user) throws Exception {
    Process p = new ProcessBuilder("id", "-u", user).start();
    return new String(p.getInputStream().readAllBytes()).trim();
  }
}

package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 point 3: notify users as keepalived reads them, and `lbctl check` reports refused scripts. */
class ScriptSecurityConfigTest {
  @TempDir
  Path tmp;

  static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults());
  }

  static String conf(String globals, Path script) {
    return "global_defs {\n" + globals + "\n}\n"
        + "vrrp_script chk {\n  script \"" + script + " arg\"\n  weight -10\n}\n"
        + "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  track_script {\n    chk\n  }\n"
        + "  notify_master \"/bin/true two words\" nobody nogroup\n  notify_backup /bin/true\n}\n";
  }

  @Test
  void notifyUser_isTheSecondWord_notAnArgument_andSurvivesExport() {
    KeepalivedConfig c = parse(conf("  script_user root", Path.of("/bin/true")));
    VrrpInstanceSpec s = c.spec().vrrpInstances().get(0);
    assertThat(s.notifyMaster()).isEqualTo("/bin/true two words");
    assertThat(s.notifyBackup()).isEqualTo("/bin/true");
    assertThat(s.notifyUsers()).isEqualTo(Map.of("notify_master", "nobody nogroup"));
    String text = KeepalivedConfig.export(c.spec());
    assertThat(parse(text).spec().vrrpInstances().get(0)).as(text).isEqualTo(s);
  }

  @Test
  void worldWritableScript_withScriptSecurity_checkReportsItWouldBeRefused() throws Exception {
    assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "runs scripts as root");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path script = tmp.resolve("chk.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
    KeepalivedConfig c = parse(conf("  enable_script_security\n  script_user root", script));
    assertThat(c.diagnostics()).anySatisfy(d -> assertThat(d.format())
        .contains("vrrp_script chk would be refused").contains(script + " is world-writable"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(parse(conf("  enable_script_security\n  script_user root", script)).diagnostics())
        .noneMatch(d -> d.format().contains("would be refused"));
  }

  @Test
  void scriptSecurity_withoutScriptUserOrKeepalivedScriptUser_checkReportsRefusal() {
    assumeTrue(io.lbkit.api.script.ScriptUser.lookup("keepalived_script", null).isEmpty(),
        "keepalived_script exists here: scripts would run as it");
    KeepalivedConfig c = parse(conf("  enable_script_security", Path.of("/bin/true")));
    assertThat(c.diagnostics()).anySatisfy(d -> assertThat(d.format())
        .contains("vrrp_script chk would be refused").contains("keepalived_script"));
  }
}

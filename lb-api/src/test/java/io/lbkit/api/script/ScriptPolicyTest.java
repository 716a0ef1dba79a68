package io.lbkit.api.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's check_script_secure rule and default user, on files in a temporary directory. */
class ScriptPolicyTest {
  static final ScriptUser ROOT = new ScriptUser("root", 0, 0);
  static final ScriptUser NOBODY = new ScriptUser("nobody", 65534, 65534);

  @TempDir
  Path tmp;
  Path script;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(ScriptUser.self().uid() == 0, "the files must be root's");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    script = tmp.resolve("chk.sh");
    Files.writeString(script, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void locate_programWithNul_isNotFound_notAnInvalidPathException() {
    assertThat(ScriptPolicy.locate("/bin\0sh")).isEmpty();
    assertThat(ScriptPolicy.locate("true\0")).isEmpty();
  }

  @Test
  void rootOwned0755_isSafe() {
    assertThat(ScriptPolicy.unsafe(script, ROOT)).isNull();
  }

  @Test
  void worldWritableScript_isUnsafe_andRefusedUnderScriptSecurity() throws Exception {
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(ScriptPolicy.unsafe(script, ROOT)).isEqualTo(script + " is world-writable");
    ScriptPolicy.Decision d = ScriptPolicy.keepalived(true, "root", null).decide(List.of(script.toString()), null);
    assertThat(d.isRefused()).isTrue();
    assertThat(d.refused()).contains("world-writable");
    ScriptPolicy.Decision lax = ScriptPolicy.keepalived(false, "root", null).decide(List.of(script.toString()), null);
    assertThat(lax.isRefused()).isFalse();
    assertThat(lax.warning()).startsWith("SECURITY VIOLATION");
  }

  @Test
  void worldWritableDirectory_isUnsafe_unlessSticky() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(ScriptPolicy.unsafe(script, ROOT)).isEqualTo(tmp + " is world-writable");
    Files.setAttribute(tmp, "unix:mode", 01777);
    assertThat(ScriptPolicy.unsafe(script, ROOT)).isNull();
  }

  @Test
  void scriptNotOwnedByRoot_isUnsafe() throws Exception {
    Files.setAttribute(script, "unix:uid", 65534);
    assertThat(ScriptPolicy.unsafe(script, ROOT)).isEqualTo(script + " is owned by uid 65534, not root");
  }

  @Test
  void unprivilegedUser_isNotChecked_asKeepalived() throws Exception {
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(ScriptPolicy.unsafe(script, NOBODY)).isNull();
  }

  @Test
  void missingProgram_refusedUnderKeepalivedRules_unknownUserRefusedAlways() {
    assertThat(ScriptPolicy.keepalived(false, "root", null).decide(List.of(tmp + "/missing.sh"), null).refused())
        .endsWith("missing.sh not found");
    assertThat(ScriptPolicy.NONE.decide(List.of("/bin/true"), "no-such-user-lbkit").refused())
        .contains("no-such-user-lbkit").contains("does not exist");
  }
}

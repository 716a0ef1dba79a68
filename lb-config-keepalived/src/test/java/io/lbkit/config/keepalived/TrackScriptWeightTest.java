package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** track_script without a weight (the script's own) and with an explicit {@code weight 0} stay distinct. */
class TrackScriptWeightTest {
  static final String CONF = """
      global_defs {
        enable_script_security
        script_user root
      }
      vrrp_script chk_a {
        script "/bin/true"
        weight -20
      }
      vrrp_script chk_b {
        script "/bin/true"
        weight -30
      }
      vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        track_script {
          chk_a
          chk_b weight 0
        }
      }
      """;

  static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults());
  }

  @Test
  void trackScript_absentWeightIsEmpty_explicitZeroIsZero_andBothSurviveExport() {
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    Map<String, OptionalInt> want = Map.of("chk_a", OptionalInt.empty(), "chk_b", OptionalInt.of(0));
    assertThat(c.spec().vrrpInstances().get(0).trackScripts()).isEqualTo(want);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(parse(text).spec().vrrpInstances().get(0).trackScripts()).as(text).isEqualTo(want);
  }
}

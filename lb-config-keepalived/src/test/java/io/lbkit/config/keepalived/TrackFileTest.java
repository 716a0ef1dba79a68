package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** track_file blocks and the VMAC/mail keywords of vrrp_instance: carried into the spec and exported back. */
class TrackFileTest {
  static final String CONF = """
      track_file tf_plain {
        file /run/prio
      }
      track_file tf_full {
        file "/run/lb prio"
        weight -7 reverse
        init_file 3 overwrite
      }
      vrrp_track_file tf_old {
        file /run/old
        init_file
      }
      vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        use_vmac vrrp.51
        vmac_xmit_base
        smtp_alert
        track_file {
          tf_plain
          tf_full weight 5
          tf_old
        }
      }
      """;

  static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults());
  }

  static List<String> at(KeepalivedConfig c, int line) {
    return c.diagnostics().stream().filter(d -> d.line() == line).map(Diagnostic::format).toList();
  }

  @Test
  void trackFileBlocks_reachTheSpec_withKeepalivedDefaults() {
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.spec().trackFiles()).isEqualTo(Map.of(
        "tf_plain", TrackedFile.of("tf_plain", Path.of("/run/prio")),
        "tf_full", new TrackedFile("tf_full", Path.of("/run/lb prio"), -7, true, 3L, true),
        "tf_old", new TrackedFile("tf_old", Path.of("/run/old"), 1, false, 0L, false)));
    assertThat(c.spec().vrrpInstances().get(0).trackFiles())
        .isEqualTo(Map.of("tf_plain", OptionalInt.empty(), "tf_full", OptionalInt.of(5), "tf_old", OptionalInt.empty()));
    assertThat(at(c, 9)).singleElement().asString().contains("vrrp_track_file is deprecated");
    assertThat(c.diagnostics()).noneMatch(d -> d.message().contains("not yet supported"));
  }

  @Test
  void vmacAndSmtpAlert_carried_withOneWarningEachSayingWhatLbkitDoes() {
    KeepalivedConfig c = parse(CONF);
    VrrpInstanceSpec s = c.spec().vrrpInstances().get(0);
    assertThat(s.useVmac()).isTrue();
    assertThat(s.vmacInterface()).isEqualTo("vrrp.51");
    assertThat(s.vmacXmitBase()).isTrue();
    assertThat(s.smtpAlert()).isTrue();
    assertThat(at(c, 16)).singleElement().asString().contains("warning", "no macvlan is created");
    assertThat(at(c, 17)).singleElement().asString().contains("warning", "base interface");
    assertThat(at(c, 18)).singleElement().asString().contains("warning", "sends no mail");
  }

  @Test
  void trackFilesAndVmac_surviveExportAndReimport() {
    KeepalivedConfig c = parse(CONF);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("weight -7 reverse", "init_file 3 overwrite", "file \"/run/lb prio\"",
        "use_vmac vrrp.51", "vmac_xmit_base", "smtp_alert");
    KeepalivedConfig back = parse(text);
    assertThat(back.diagnostics()).as(text).noneMatch(Diagnostic::isError);
    assertThat(back.spec()).as(text).isEqualTo(c.spec());
  }

  @Test
  void weightZero_andNoWeight_areKeptApart_inAnInstanceAndASyncGroup_andSurviveExport() {
    KeepalivedConfig c = parse("track_file tf {\n file /x\n weight 5\n}\nvrrp_instance VI_1 {\n interface eth0\n"
        + " virtual_router_id 1\n track_file {\n  tf weight 0\n }\n}\nvrrp_instance VI_2 {\n interface eth0\n"
        + " virtual_router_id 2\n track_file {\n  tf\n }\n}\nvrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n"
        + " track_file {\n  tf weight 0\n }\n}\n");
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.spec().vrrpInstances().get(0).trackFiles()).isEqualTo(Map.of("tf", OptionalInt.of(0)));
    assertThat(c.spec().vrrpInstances().get(1).trackFiles()).isEqualTo(Map.of("tf", OptionalInt.empty()));
    assertThat(c.spec().syncGroups().get(0).extras().trackFiles()).isEqualTo(Map.of("tf", OptionalInt.of(0)));
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("tf weight 0").containsPattern("track_file \\{\\s+tf\\s+\\}");
    assertThat(parse(text).spec()).as(text).isEqualTo(c.spec());
  }

  @Test
  void bareUseVmac_andSmtpAlertOff_areKeptApart() {
    KeepalivedConfig c = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n use_vmac\n"
        + " smtp_alert off\n}\n");
    VrrpInstanceSpec s = c.spec().vrrpInstances().get(0);
    assertThat(s.useVmac()).isTrue();
    assertThat(s.vmacInterface()).isNull();
    assertThat(s.smtpAlert()).isFalse();
    assertThat(at(c, 5)).isEmpty();
    assertThat(parse(KeepalivedConfig.export(c.spec())).spec()).isEqualTo(c.spec());
  }

  @Test
  void trackFileWithoutFile_isAnErrorAtItsEnd_andWeightOutOfRangeAtItsLine() {
    KeepalivedConfig c = parse("track_file a {\n weight 2\n}\ntrack_file b {\n file /x\n weight 300\n}\n");
    assertThat(at(c, 3)).singleElement().asString().contains("error", "track_file a has no 'file'");
    assertThat(at(c, 6)).singleElement().asString().contains("error", "300", "-254");
    assertThat(c.spec().trackFiles()).containsOnlyKeys("b");
  }

  @Test
  void instanceTrackingAnUndefinedFile_isAnError() {
    KeepalivedConfig c = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n track_file {\n"
        + "  nope\n }\n}\n");
    assertThat(at(c, 5)).singleElement().asString().contains("error", "no track_file block nope");
  }

  @Test
  void instanceLineWeightReverse_isCarriedAsTheNegatedWeight() {
    KeepalivedConfig c = parse("track_file tf {\n file /x\n}\nvrrp_instance VI_1 {\n interface eth0\n"
        + " virtual_router_id 1\n track_file {\n  tf weight 6 reverse\n }\n}\n");
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.spec().vrrpInstances().get(0).trackFiles()).isEqualTo(Map.of("tf", OptionalInt.of(-6)));
  }

  @Test
  void trackingADroppedTrackFile_isWarned_andNotKeptInTheSpec() {
    KeepalivedConfig c = parse("track_file tf {\n weight 2\n}\nvrrp_instance VI_1 {\n interface eth0\n"
        + " virtual_router_id 1\n track_file {\n  tf\n }\n}\n");
    assertThat(at(c, 8)).singleElement().asString().contains("warning", "was dropped (line 1)");
    assertThat(c.spec().vrrpInstances().get(0).trackFiles()).isEmpty();
  }
}

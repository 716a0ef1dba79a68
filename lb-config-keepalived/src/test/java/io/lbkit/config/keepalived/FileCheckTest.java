package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.FileCheck;
import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FILE_CHECK names a track_file block: the spec gets the block's file, the export writes a block back. */
class FileCheckTest {
  private static final String CONF = String.join("\n",
      "track_file tf1 {",
      "  file \"/run/lbk test/weight\"",
      "  weight 5 reverse",
      "}",
      "virtual_server 10.0.0.1 80 {",
      "  protocol TCP",
      "  real_server 10.0.0.2 80 {",
      "    FILE_CHECK {",
      "      track_file tf1",
      "    }",
      "  }",
      "  real_server 10.0.0.3 80 {",
      "    FILE_CHECK {",
      "      track_file tf1",
      "      weight 300 reverse",
      "    }",
      "  }",
      "}",
      "");

  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  private static FileCheck check(KeepalivedConfig c, int real) {
    return (FileCheck) c.spec().virtualServices().get(0).realServers().get(real).checks().get(0);
  }

  @Test
  void fileCheck_readsTheBlocksFile_withTheBlocksWeightUnlessItsOwn() {
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(check(c, 0).path()).isEqualTo("/run/lbk test/weight");
    assertThat(check(c, 0).weight()).isEqualTo(-5);
    assertThat(check(c, 1).weight()).isEqualTo(-300); // keepalived 2.2.7 takes the int range in FILE_CHECK
  }

  @Test
  void fileCheck_ofABlockDefinedLater_isAnErrorAtTheName_likeKeepalived() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 {\n"
        + "    FILE_CHECK {\n      track_file late\n    }\n  }\n}\ntrack_file late {\n  file /tmp/x\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 5 && d.message().contains("before this"));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 6 && d.message().contains("ignores it"));
    assertThat(c.spec().virtualServices().get(0).realServers().get(0).checks()).isEmpty();
  }

  @Test
  void importedFileChecks_exportToTheSameBlock_andReimportEqual() {
    KeepalivedConfig c = parse(CONF);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("track_file tf1\n", "weight -5\n").doesNotContain("lbkit_file_");
    assertThat(parse(text).spec()).isEqualTo(c.spec());
  }

  @Test
  void fileCheckOfAPathWithoutBlock_exportsANewBlock_thatKeepalivedAccepts() throws Exception {
    VirtualService v = VirtualService.tcp("10.0.0.1", 80).add(RealServer.of("10.0.0.2", 80)
        .check(new FileCheck("/run/lbk/w", 2, CheckTiming.DEFAULT, CheckTarget.REAL_SERVER)));
    String text = KeepalivedConfig.export(LoadBalancerSpec.of(List.of(v)));
    assertThat(text).contains("track_file lbkit_file_1 {\n  file \"/run/lbk/w\"", "track_file lbkit_file_1\n");
    KeepalivedConfig back = parse(text);
    assertThat(back.spec().virtualServices()).isEqualTo(List.of(v));
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(text);
  }

  @Test
  void nbSockRetryInSmtpCheck_isUnknownAtItsLine_likeKeepalived227() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 25 {\n  protocol TCP\n  real_server 10.0.0.2 25 {\n"
        + "    SMTP_CHECK {\n      nb_sock_retry 3\n    }\n  }\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 5
        && d.message().startsWith("unknown keyword 'nb_sock_retry' in SMTP_CHECK") && d.message().contains("retry"));
    assertThat(c.spec().virtualServices().get(0).realServers().get(0).checks().get(0).timing().retry())
        .isEqualTo(io.lbkit.api.check.CheckTiming.DEFAULT.retry());
  }
}

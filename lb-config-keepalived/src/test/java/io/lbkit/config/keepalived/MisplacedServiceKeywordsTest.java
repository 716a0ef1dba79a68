package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 16 point 8, each case paired with keepalived -t (2.2.7): lb_algo/lb_kind outside a
 * virtual_server, a virtual_server without lvs_sched or lvs_method, smtp_server and
 * smtp_connect_timeout values. keepalived reports global_defs values and the missing
 * scheduler/method without "file:" (so not as the oracle's line reports): those are
 * matched in its whole output.
 */
class MisplacedServiceKeywordsTest {
  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId(
        KeepalivedOracle.CONFIG_ID));
  }

  private static String show(KeepalivedConfig c) {
    return String.join("\n", c.diagnostics().stream().map(Diagnostic::format).toList());
  }

  private static final String VS = "virtual_server 10.0.0.1 80 {\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n"
      + "  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n    }\n  }\n}\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // where the line goes (its line number) | the text           | keepalived   | lbkit
      "1 | lb_algo rr\\n{VS}                      | Unknown keyword 'lb_algo' | unknown keyword 'lb_algo' in the top level",
      "1 | lb_kind DR\\n{VS}                      | Unknown keyword 'lb_kind' | one without it gets NAT",
      "2 | global_defs {\\nlb_algo rr\\n}\\n{VS}  | Unknown keyword 'lb_algo' | unknown keyword 'lb_algo' in global_defs",
      "4 | vrrp_instance V {\\ninterface eth0\\nvirtual_router_id 1\\nlb_kind DR\\n}\\n | Unknown keyword 'lb_kind'"
          + " | unknown keyword 'lb_kind' in vrrp_instance",
  })
  void oldSpellingOutsideAVirtualServer_isAnUnknownKeywordError_likeKeepalived(int line, String text, String keepalived,
      String lbkit) throws Exception {
    String conf = text.replace("\\n", "\n").replace("{VS}", VS);
    KeepalivedConfig c = parse(conf);
    assertThat(c.diagnostics()).as(show(c)).anyMatch(d -> d.isError() && d.line() == line
        && d.message().contains(lbkit) && d.message().contains("belongs in a virtual_server"));
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.Result k = KeepalivedOracle.checkText(conf);
    // global_defs is reported as "(Line N)", without the file name
    assertThat(k.output()).anyMatch(l -> l.matches("\\((.+: )?Line " + line + "\\) .*") && l.contains(keepalived));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // virtual_server body                                | keepalived says (no line)                 | lbkit warns
      "lvs_method NAT\\nreal_server 10.0.0.2 80 {\\n}       | no scheduler set, setting default 'wlc' | has no lvs_sched: keepalived warns and uses wlc",
      "lvs_sched rr\\nreal_server 10.0.0.2 80 {\\n}         | no forwarding method set, setting default NAT | has no lvs_method",
      "lvs_sched rr\\nlvs_method BOGUS\\nreal_server 10.0.0.2 80 {\\n} | no forwarding method set, setting default NAT | has no lvs_method",
      "lvs_sched rr\\nsorry_server 10.0.0.9 80\\nreal_server 10.0.0.2 80 {\\nlvs_method DR\\n} | no forwarding method set, setting default NAT | has no lvs_method",
  })
  void virtualServerWithoutSchedulerOrMethod_isWarnedAtItsLine_likeKeepalived(String body, String keepalived,
      String lbkit) throws Exception {
    String conf = "virtual_server 10.0.0.1 80 {\nprotocol TCP\n" + body.replace("\\n", "\n") + "\n}\n";
    KeepalivedConfig c = parse(conf);
    assertThat(c.diagnostics()).as(show(c)).anyMatch(d -> !d.isError() && d.line() == 1 && d.message().contains(lbkit))
        .noneMatch(d -> d.isError() && !d.message().contains("BOGUS"));
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.Result k = KeepalivedOracle.checkText(conf);
    assertThat(k.output()).anyMatch(l -> l.contains(keepalived));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // global_defs line                   | verdict | keepalived says (no file name)       | lbkit says
      "smtp_server 10.0.0.1                 | ok     |                                          |",
      "smtp_server 10.0.0.1 2525            | ok     |                                          |",
      "smtp_server ::1 25                   | ok     |                                          |",
      "smtp_server localhost                | ok     |                                          |",
      "smtp_server 10.0.0.1 0               | reject | Invalid smtp server 10.0.0.1 0           | smtp_server 0 is out of range 1-65535",
      "smtp_server 10.0.0.1 65536           | reject | number '65536' outside range [1, 65535]  | smtp_server 65536 is out of range 1-65535",
      "smtp_server ::1 x                    | reject | Invalid smtp server ::1 x                | smtp_server: 'x' is not an integer",
      "smtp_server bad_host                 | reject | Invalid smtp server bad_host 25          | smtp_server 'bad_host' is not an IP address or a host name",
      "smtp_server                          | reject | is missing a parameter                   | smtp_server needs a value",
      "smtp_connect_timeout 1               | ok     |                                          |",
      "smtp_connect_timeout 4294            | ok     |                                          |",
      "smtp_connect_timeout 0               | adapt  | must be greater than 0, setting to 1     | keepalived wants at least 1 and sets it to 1",
      "smtp_connect_timeout 4295            | reject | smtp_connect_timeout '4295' must be in [0, 4294] | smtp_connect_timeout 4295 is out of range 0-4294",
      "smtp_connect_timeout 1.5             | reject | smtp_connect_timeout '1.5' must be in [0, 4294] | smtp_connect_timeout: '1.5' is not an integer",
      "smtp_connect_timeout -1              | reject | negative number '-1'                     | smtp_connect_timeout -1 is out of range 0-4294",
      "smtp_connect_timeout 4294967296      | reject | outside unsigned integer range           | smtp_connect_timeout 4294967296 is out of range",
  })
  void smtpServerAndConnectTimeout_readLikeKeepalived(String line, String verdict, String keepalived, String lbkit)
      throws Exception {
    String conf = "global_defs {\n  " + line + "\n}\n";
    KeepalivedConfig c = parse(conf);
    switch (verdict) {
      case "ok" -> assertThat(c.diagnostics()).as(show(c)).isEmpty();
      case "adapt" -> assertThat(c.diagnostics()).as(show(c)).noneMatch(Diagnostic::isError)
          .anyMatch(d -> d.line() == 2 && d.message().contains(lbkit));
      default -> assertThat(c.diagnostics()).as(show(c))
          .anyMatch(d -> d.isError() && d.line() == 2 && d.message().contains(lbkit));
    }
    if (verdict.equals("adapt")) {
      assertThat(c.spec().globals().other()).containsEntry("smtp_connect_timeout", "1");
    }
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.Result k = KeepalivedOracle.checkText(conf);
    if (verdict.equals("ok")) {
      assertThat(k.exitCode()).as(String.join("\n", k.output())).isZero();
    } else {
      assertThat(k.output()).anyMatch(l -> l.startsWith("(Line 2)") && l.contains(keepalived));
    }
  }
}

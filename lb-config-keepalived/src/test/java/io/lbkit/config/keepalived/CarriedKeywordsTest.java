package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keywords that once were parsed and dropped: now carried into the spec and exported back. */
class CarriedKeywordsTest {
  private static final String CONF = String.join("\n",
      "virtual_server 10.0.0.1 80 {",
      "  lvs_sched rr",
      "  lvs_method NAT",
      "  protocol TCP",
      "  ha_suspend",
      "  quorum_up \"/usr/local/bin/up.sh 10.0.0.1\"",
      "  quorum_down /usr/local/bin/down.sh",
      "  real_server 10.0.0.2 80 {",
      "    notify_up \"/bin/logger -t lbkit 'rs up'\"",
      "    notify_down /usr/local/bin/rs-down.sh",
      "  }",
      "}",
      "");

  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  @Test
  void quorumCommands_haSuspend_andNotifyCommands_reachTheSpec() {
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).isEmpty();
    VirtualService v = c.spec().virtualServices().get(0);
    assertThat(v.isHaSuspend()).isTrue();
    assertThat(v.quorumUpCommand()).hasValue("/usr/local/bin/up.sh 10.0.0.1");
    assertThat(v.quorumDownCommand()).hasValue("/usr/local/bin/down.sh");
    RealServer r = v.realServers().get(0);
    assertThat(r.notifyUpCommand()).hasValue("/bin/logger -t lbkit 'rs up'");
    assertThat(r.notifyDownCommand()).hasValue("/usr/local/bin/rs-down.sh");
  }

  @Test
  void carriedKeywords_surviveExportAndReimport() {
    KeepalivedConfig c = parse(CONF);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("ha_suspend", "quorum_up \"/usr/local/bin/up.sh 10.0.0.1\"",
        "notify_down \"/usr/local/bin/rs-down.sh\"");
    KeepalivedConfig back = parse(text);
    assertThat(back.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(back.spec().virtualServices()).isEqualTo(c.spec().virtualServices());
  }

  @Test
  void withoutTheKeywords_nothingIsSet() {
    VirtualService v = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n }\n}\n").spec()
        .virtualServices().get(0);
    assertThat(v.isHaSuspend()).isFalse();
    assertThat(v.quorumUpCommand()).isEmpty();
    assertThat(v.realServers().get(0).notifyDownCommand()).isEmpty();
  }

  @Test
  void topLevelBlocksLbkitDoesNotModel_areWarnedNotSilentlyDropped() {
    KeepalivedConfig c = parse("static_rules {\n  from 10.0.0.0/8 table 5 priority 3\n}\n"
        + "linkbeat_interfaces {\n  eth0\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 1
        && d.message().equals("parsed but not yet supported: static_rules (in the top level); lbkit ignores it"));
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 4 && d.message().contains("linkbeat"));
  }

  @Test
  void vipOptionsKeepalivedAccepts_areNotErrors_butWarnedAsNotCarried() {
    KeepalivedConfig c = parse("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
        + "  fe80::6/64 -nodad\n  fe80::7/64 mngtmpaddr\n  10.2.0.3/24 peer 10.2.0.9\n  10.2.0.4/24 dev eth0 use_vmac\n"
        + "  10.2.0.5/24 nodad\n }\n}\n");
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 5 && d.message().contains("'-nodad' carried (exported "
        + "back), but lbkit adds the address without it"));
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 7 && d.message().contains("ignores the prefix"));
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 9 && d.message().contains("did you mean '-nodad'"));
    assertThat(c.spec().vrrpInstances().get(0).virtualAddresses()).hasSize(5);
  }

  @Test
  void vipOptions_exportBackOnTheirAddressLine_andReimportEqual() {
    KeepalivedConfig c = parse("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
        + "  10.2.0.3/24 dev eth0 no_track preferred_lft forever\n  10.2.0.4/24\n }\n"
        + " virtual_ipaddress_excluded {\n  10.3.0.1/24 label eth0:1 noprefixroute\n }\n}\n");
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("10.2.0.3/24 dev eth0 no_track preferred_lft forever\n", "10.2.0.4/24\n",
        "10.3.0.1/24 label eth0:1 noprefixroute\n");
    assertThat(parse(text).spec()).isEqualTo(c.spec());
  }
}

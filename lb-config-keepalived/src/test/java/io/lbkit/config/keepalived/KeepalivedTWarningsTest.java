package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Findings {@code keepalived -t} 2.2.7 reports that lbctl check used to pass silently (found by
 * lb-cli's CheckVsKeepalivedTest on Debian's samples): each is now reported at keepalived's line.
 */
class KeepalivedTWarningsTest {
  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  private static List<String> at(KeepalivedConfig c, int line) {
    return c.diagnostics().stream().filter(d -> d.line() == line).map(Diagnostic::format).toList();
  }

  @Test
  void routeWithoutDev_isWarnedAsUntracked_likeKeepalived() {
    KeepalivedConfig c = parse("""
        static_routes {
          192.168.115.0/24 via 127.0.0.1
          192.168.116.0/24 via 127.0.0.1 dev eth0
          192.168.117.0/24 via 127.0.0.1 no_track
        }
        vrrp_instance VI_1 {
          interface eth0
          virtual_router_id 51
          virtual_routes {
            192.168.112.0/24 via 192.168.0.254
            192.168.113.0/24 via 192.168.0.254 dev eth0
            192.168.114.0/24 via 192.168.0.254 no_track
          }
        }
        """);
    assertThat(at(c, 2)).singleElement().asString().contains("warning: static_routes", "has no 'dev'",
        "cannot track");
    assertThat(at(c, 10)).singleElement().asString().contains("warning: virtual_routes", "has no 'dev'");
    assertThat(at(c, 3)).isEmpty();
    assertThat(at(c, 4)).isEmpty();
    assertThat(at(c, 11)).isEmpty();
    assertThat(at(c, 12)).isEmpty();
  }

  @Test
  void gw_isWarnedAsDeprecated_inBothRouteBlocks() {
    KeepalivedConfig c = parse("static_routes {\n 10.1.0.0/16 gw 10.0.0.1 dev eth0\n}\n"
        + "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_routes {\n"
        + "  10.2.0.0/16 gw 10.0.0.1 dev eth0\n }\n}\n");
    assertThat(at(c, 2)).singleElement().asString().contains("\"gw\" for routes is deprecated; use \"via\"");
    assertThat(at(c, 8)).singleElement().asString().contains("\"gw\" for routes is deprecated; use \"via\"");
    assertThat(c.spec().vrrpInstances().get(0).virtualRoutes().get(0).gateway()).isEqualTo(Inet.parse("10.0.0.1"));
  }

  @Test
  void staticRoute_withSrcFirst_isRead_notAnError() {
    KeepalivedConfig c = parse("static_routes {\n src 192.168.100.1 192.168.109.0/24 via 192.168.200.254 dev eth1\n}\n");
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
  }

  @Test
  void staticRules_areCheckedLikeVirtualRules() {
    KeepalivedConfig c = parse("static_rules {\n from 192.168.100.0/24 table 1\n to 192.168.100./24 table 1\n"
        + " from 10.0.0.0/8 table 2 priority 100\n}\n");
    assertThat(at(c, 2)).singleElement().asString().contains("warning: static_rules: rule without priority");
    assertThat(at(c, 3)).anyMatch(s -> s.contains("error: static_rules: to '192.168.100./24' is not an address"));
    assertThat(at(c, 4)).isEmpty();
  }

  @Test
  void fwmarkWithProtocol_isWarnedAtTheProtocol() {
    KeepalivedConfig c = parse("virtual_server fwmark 1 {\n lvs_sched rr\n lvs_method NAT\n protocol TCP\n"
        + " real_server 10.0.0.2 {\n }\n}\n");
    assertThat(at(c, 4)).singleElement().asString().contains("protocol is ignored for a fwmark virtual_server");
  }

  @Test
  void virtualServerWithoutRealServers_isWarned_evenWithASorryServer() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method NAT\n}\n"
        + "virtual_server 10.0.0.1 81 {\n lvs_sched rr\n lvs_method NAT\n sorry_server 10.0.0.9 80\n}\n"
        + "virtual_server 10.0.0.1 82 {\n lvs_sched rr\n lvs_method NAT\n real_server 10.0.0.2 82 {\n }\n}\n");
    assertThat(at(c, 1)).singleElement().asString().contains("10.0.0.1 80 has no real_server");
    assertThat(at(c, 5)).singleElement().asString().contains("10.0.0.1 81 has no real_server");
    assertThat(at(c, 9)).isEmpty();
  }

  @Test
  void globalKeywordsKeepalivedRefusesWithoutValue_areErrors() {
    KeepalivedConfig c = parse("global_defs {\n notification_email_from\n vrrp_garp_master_delay\n"
        + " default_interface\n notification_email {\n }\n smtp_helo_name\n}\n");
    assertThat(at(c, 2)).singleElement().asString().contains("error: notification_email_from needs a value");
    assertThat(at(c, 3)).singleElement().asString().contains("error: vrrp_garp_master_delay needs a value");
    assertThat(at(c, 4)).singleElement().asString().contains("error: default_interface needs a value");
    assertThat(at(c, 5)).singleElement().asString().contains("warning: empty notification_email block");
    assertThat(at(c, 7)).isEmpty(); // keepalived 2.2.7 takes smtp_helo_name alone
  }

  @Test
  void realServerOfTheOtherFamily_isAnErrorAtItsLine_andTheEmptiedServiceIsWarned() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.3 80 {\n lvs_sched rr\n lvs_method NAT\n protocol TCP\n"
        + " real_server 2001:db8::1 80 {\n }\n}\n");
    assertThat(at(c, 5)).singleElement().asString().contains("error: real_server", "mixed families need TUN");
    assertThat(at(c, 1)).singleElement().asString().contains("has no real_server left");
  }
}

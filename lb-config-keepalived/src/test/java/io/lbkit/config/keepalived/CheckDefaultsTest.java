package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.FileCheck;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.UdpCheck;
import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the accepted checker values become: real_server and virtual_server timing as the
 * checkers' defaults (keepalived: checker, else real_server, else virtual_server, else the
 * type's default), weights and inhibit_on_failure as the real servers' defaults, and the
 * values keepalived reads its own way (rounded timers, hex words, 1.0C, DNS type case).
 */
class CheckDefaultsTest {
  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  private static VirtualService service(String body) {
    KeepalivedConfig c = parse("track_file tf {\n  file /tmp/lbk-none\n  weight 3\n}\n"
        + "virtual_server 10.0.0.1 80 {\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n" + body + "\n}\n");
    assertThat(c.diagnostics()).as(String.join("\n", c.diagnostics().stream().map(Diagnostic::format).toList()))
        .noneMatch(Diagnostic::isError);
    return c.spec().virtualServices().get(0);
  }

  private static CheckSpec check(VirtualService vs, int real) {
    return vs.realServers().get(real).checks().get(0);
  }

  static final String TIMED = String.join("\n",
      "  retry 6",
      "  connect_timeout 3",
      "  delay_before_retry 4",
      "  real_server 10.0.0.2 80 {",
      "    TCP_CHECK {",
      "      retry 2",
      "    }",
      "    warmup 9",
      "    delay_loop 11.5",
      "    connect_timeout 2.5",
      "  }",
      "  real_server 10.0.0.3 80 {",
      "    HTTP_GET {",
      "      url {",
      "        path /",
      "      }",
      "    }",
      "  }",
      "  warmup 8");

  @Test
  void realServerAndVirtualServerTiming_becomeTheCheckersDefaults_theCheckersOwnWin() {
    VirtualService vs = service(TIMED);
    CheckTiming t = check(vs, 0).timing();
    assertThat(t.retry()).isEqualTo(2); // the checker's own
    assertThat(t.connectTimeout()).isEqualTo(Duration.ofMillis(2500)); // the real_server's, after the checker
    assertThat(t.interval()).isEqualTo(Duration.ofMillis(11500));
    assertThat(t.warmup()).isEqualTo(Duration.ofSeconds(9));
    assertThat(t.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(4)); // the virtual_server's
    CheckTiming h = check(vs, 1).timing();
    assertThat(h.retry()).isEqualTo(6);
    assertThat(h.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(h.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(4));
    assertThat(h.warmup()).isEqualTo(Duration.ofSeconds(8)); // set at the end of the virtual_server
    assertThat(h.interval()).isNull(); // the service's delay_loop
  }

  @Test
  void inheritedTiming_survivesExportAndReimport_andKeepalivedAcceptsTheExport() throws Exception {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n"
        + TIMED + "\n}\n");
    String text = KeepalivedConfig.export(c.spec());
    assertThat(parse(text).spec()).isEqualTo(c.spec());
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(text);
  }

  @Test
  void httpGetsOwnDelayBeforeRetry_isKeptUnlessARealServerSetsOne() {
    VirtualService vs = service("  real_server 10.0.0.3 80 {\n    HTTP_GET {\n      url {\n        path /\n      }\n"
        + "    }\n  }\n  real_server 10.0.0.4 80 {\n    delay_before_retry 0\n    HTTP_GET {\n      url {\n"
        + "        path /\n      }\n    }\n  }");
    assertThat(check(vs, 0).timing().delayBeforeRetry()).isEqualTo(Duration.ofSeconds(3));
    assertThat(check(vs, 1).timing().delayBeforeRetry()).isZero();
  }

  @Test
  void virtualServerWeightAndInhibit_areTheRealServersDefaults() {
    VirtualService vs = service("  real_server 10.0.0.2 80 {\n  }\n  real_server 10.0.0.3 80 {\n    weight 2\n"
        + "    inhibit_on_failure off\n  }\n  weight 7\n  inhibit_on_failure");
    RealServer a = vs.realServers().get(0);
    RealServer b = vs.realServers().get(1);
    assertThat(a.weight()).isEqualTo(7);
    assertThat(a.isInhibitOnFailure()).isTrue();
    assertThat(b.weight()).isEqualTo(2);
    assertThat(b.isInhibitOnFailure()).isFalse();
  }

  @Test
  void realServerWeightAboveLbkitsLimit_isCappedWithAWarning() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 {\n"
        + "    weight 2147483647\n  }\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 4 && d.message().contains("65535"));
    assertThat(c.spec().virtualServices().get(0).realServers().get(0).weight()).isEqualTo(RealServer.MAX_WEIGHT);
  }

  @Test
  void timers_areRoundedLikeKeepalived_andHugeRetriesCapped() {
    CheckTiming t = check(service("  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n      connect_timeout 1.0000005\n"
        + "      delay_before_retry .5\n      retry 4294967295\n      delay_loop 99999999\n    }\n  }"), 0).timing();
    assertThat(t.connectTimeout()).isEqualTo(Duration.ofNanos(1_000_001_000));
    assertThat(t.delayBeforeRetry()).isEqualTo(Duration.ofMillis(500));
    assertThat(t.retry()).isEqualTo(Integer.MAX_VALUE);
    assertThat(t.interval()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void udpHexWords_areReadLikeKeepalived() {
    UdpCheck u = (UdpCheck) check(service("  real_server 10.0.0.2 80 {\n    UDP_CHECK {\n      payload 12 34 5 ff00\n"
        + "      require_reply 1x 02\n    }\n  }"), 0);
    assertThat(u.payload()).containsExactly(0x12, 0x34, 0x05, 0xff, 0x00);
    assertThat(u.requireReply()).isTrue();
    assertThat(u.replyPattern()).isEqualTo("1x 02");
  }

  @Test
  void badPayload_isDropped_likeKeepalived() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n  protocol UDP\n  real_server 10.0.0.2 80 {\n"
        + "    UDP_CHECK {\n      payload 00 ff\n    }\n  }\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 5 && d.message().contains("ends in byte ff"));
    UdpCheck u = (UdpCheck) c.spec().virtualServices().get(0).realServers().get(0).checks().get(0);
    assertThat(u.payload()).isEmpty();
  }

  @Test
  void http10c_isCarriedAs10_dnsTypeIsUpperCased_firstDnsNameCounts() {
    VirtualService vs = service("  real_server 10.0.0.2 80 {\n    HTTP_GET {\n      http_protocol 1.0C\n      url {\n"
        + "        path /\n      }\n    }\n  }\n  real_server 10.0.0.3 53 {\n    DNS_CHECK {\n      type aaaa\n"
        + "      name example.com.\n    }\n  }");
    assertThat(((HttpCheck) check(vs, 0)).httpVersion()).isEqualTo("1.0");
    DnsCheck dns = (DnsCheck) check(vs, 1);
    assertThat(dns.queryType()).isEqualTo("AAAA");
    assertThat(dns.name()).isEqualTo("example.com.");
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 53 {\n  protocol UDP\n  real_server 10.0.0.3 53 {\n"
        + "    DNS_CHECK {\n      name a.example.\n      name b.example.\n    }\n  }\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 6 && d.message().contains("already given"));
    assertThat(((DnsCheck) c.spec().virtualServices().get(0).realServers().get(0).checks().get(0)).name())
        .isEqualTo("a.example.");
  }

  @Test
  void miscTimeoutZero_isNotSet_likeKeepalived() {
    VirtualService vs = service("  real_server 10.0.0.2 80 {\n    MISC_CHECK {\n      misc_path /bin/true\n"
        + "      misc_timeout 0\n    }\n  }\n  real_server 10.0.0.3 80 {\n    MISC_CHECK {\n      misc_path /bin/true\n"
        + "      misc_timeout 7\n    }\n  }");
    assertThat(((MiscCheck) check(vs, 0)).timeout()).isEqualTo(CheckTiming.DEFAULT.connectTimeout());
    assertThat(((MiscCheck) check(vs, 1)).timeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void fileCheckWeightWithABadOption_isDropped_theBlocksWeightStays() {
    KeepalivedConfig c = parse("track_file tf {\n  file /tmp/lbk-none\n  weight 3\n}\nvirtual_server 10.0.0.1 80 {\n"
        + "  protocol TCP\n  real_server 10.0.0.2 80 {\n    FILE_CHECK {\n      track_file tf\n      weight 5 bogus\n"
        + "    }\n  }\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 10 && d.message().contains("'bogus'"));
    FileCheck fc = (FileCheck) c.spec().virtualServices().get(0).realServers().get(0).checks().get(0);
    assertThat(fc.weight()).isEqualTo(3);
  }
}

package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's keepalived.conf (from a 2010 blog post) and its real mistakes. */
class SeedConfigTest {
  static final Path SEED = Path.of("src/test/resources/seed-keepalived.conf");

  private static List<String> lines() throws Exception {
    return KeepalivedConfig.parse(SEED, KeepalivedConfig.Options.defaults().withConfigId("x")).diagnostics().stream()
        .map(Diagnostic::format).map(s -> s.substring(s.indexOf(':') + 1)).toList();
  }

  @Test
  void seed_nopreemp_isUnknownWithSuggestion() throws Exception {
    assertThat(lines()).contains("6: error: unknown keyword 'nopreemp' in vrrp_instance; did you mean 'nopreempt'?");
  }

  @Test
  void seed_missingBrace_namesTheLineWhereTheBlockOpened() throws Exception {
    assertThat(lines()).anyMatch(l -> l.startsWith("16: error: 'virtual_server group HTTP100' block opened here is "
        + "never closed"));
  }

  @Test
  void seed_undefinedGroup_isAnError() throws Exception {
    assertThat(lines()).contains("16: error: virtual_server group 'HTTP100': no virtual_server_group HTTP100 is "
        + "defined (there is none)");
  }

  @Test
  void seed_persistenceTimeoutZero_givesTheAllowedRange() throws Exception {
    assertThat(lines()).contains("20: error: persistence_timeout 0 is out of range 1-2678400");
  }

  @Test
  void seed_sorryServerOnOwnVip_warns() throws Exception {
    assertThat(lines()).anyMatch(l -> l.startsWith("22: warning: sorry_server 192.168.0.200 80 is this director's "
        + "own VIP (vrrp_instance V_W)"));
  }

  @Test
  void seed_deprecatedKeywords_warnWithTheNewName() throws Exception {
    assertThat(lines()).contains("18: warning: lb_algo is deprecated; use lvs_sched (read as lvs_sched)",
        "19: warning: lb_kind is deprecated; use lvs_method (read as lvs_method)",
        "33: warning: nb_get_retry is deprecated; use retry (read as retry)",
        "47: warning: nb_get_retry is deprecated; use retry (read as retry)");
  }

  @Test
  void seed_findings_areExactlyTheRealMistakes() throws Exception {
    assertThat(lines()).hasSize(9).map(l -> l.substring(0, l.indexOf(':'))).containsExactly("6", "16", "16", "18",
        "19", "20", "22", "33", "47");
  }

  @Test
  void seed_diagnostics_areSortedByLine() throws Exception {
    List<Diagnostic> d = KeepalivedConfig.parse(SEED).diagnostics();
    assertThat(d).isSortedAccordingTo((a, b) -> Integer.compare(a.line(), b.line()));
  }

  @Test
  void seed_vrrpInstance_isMapped() throws Exception {
    VrrpInstanceSpec v = KeepalivedConfig.parse(SEED).spec().vrrpInstances().get(0);
    assertThat(v.name()).isEqualTo("V_W");
    assertThat(v.interfaceName()).isEqualTo("eth0");
    assertThat(v.vrid()).isEqualTo(51);
    assertThat(v.authPass()).isEqualTo("1111");
    assertThat(v.virtualAddresses()).extracting(a -> a.address().toString()).containsExactly("192.168.0.200/32");
  }

  @Test
  void seedFixed_mapsToTheDirectorTheBlogShows() throws Exception {
    String fixed = java.nio.file.Files.readString(SEED).replace("nopreemp\n", "nopreempt\n")
        .replace("virtual_server group HTTP100", "virtual_server 192.168.0.200 80")
        .replace("persistence_timeout 0\n", "").replace("sorry_server 192.168.0.200 80\n", "") + "}\n";
    KeepalivedConfig c = KeepalivedConfig.parse(fixed, "fixed.conf", Path.of("."),
        KeepalivedConfig.Options.defaults());
    assertThat(c.hasErrors()).as(c.diagnostics().toString()).isFalse();
    var vs = c.spec().virtualServices().get(0);
    assertThat(vs.key().toString()).isEqualTo("TCP 192.168.0.200:80");
    assertThat(vs.scheduler().name()).isEqualTo("rr");
    assertThat(vs.forwarding()).isEqualTo(Forwarding.DR);
    assertThat(vs.realServers()).hasSize(2).allMatch(r -> r.isInhibitOnFailure() && r.checks().size() == 1);
    assertThat(vs.realServers().get(0).checks().get(0).timing().retry()).isEqualTo(3);
  }
}

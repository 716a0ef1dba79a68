package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 9: an IPv6 vrrp_instance without {@code vrrp_version 3} is run by
 * keepalived as VRRPv3; lbkit's import adapts the same way and says so, so that
 * {@code lbctl check} reports it and {@code lbctl run} does not exit ("VRRPv2 is IPv4 only").
 */
class Ipv6VersionAdaptTest {
  static final String CONF = """
      vrrp_instance VI_6 {
        interface eth0
        virtual_router_id 61
        priority 100
        advert_int 1
        virtual_ipaddress {
          2001:db8::100/64
        }
      }
      """;

  static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults());
  }

  @Test
  void ipv6InstanceWithoutVersion3_keepalivedAccepts_lbkitRunsItAsV3AndWarns() throws Exception {
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(CONF);
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    VrrpInstanceSpec s = c.spec().vrrpInstances().get(0);
    assertThat(s.family()).isEqualTo(Family.INET6);
    assertThat(s.version()).isEqualTo(3);
    assertThat(c.diagnostics()).anySatisfy(d -> assertThat(d.format()).contains("VI_6").contains("VRRPv3")
        .contains("IPv6"));
  }

  @Test
  void ipv6InstanceWithPassword_adaptedToV3_passwordIgnoredAsKeepalivedDoes() throws Exception {
    String conf = CONF.replace("  advert_int 1\n", "  advert_int 1\n  authentication {\n    auth_type PASS\n"
        + "    auth_pass secret\n  }\n");
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(conf);
    KeepalivedConfig c = parse(conf);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.spec().vrrpInstances().get(0).version()).isEqualTo(3);
    assertThat(c.spec().vrrpInstances().get(0).authPass()).isNull();
    assertThat(c.diagnostics()).anySatisfy(d -> assertThat(d.format()).contains("authentication"));
  }
}

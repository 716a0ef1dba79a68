package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** vrrp_instance { virtual_routes { ... } }: import, diagnostics, export round trip. */
class VirtualRoutesTest {
  static final String CONF = """
      vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
          192.168.0.200
        }
        virtual_routes {
          src 192.168.0.200 to 192.168.109.0/24 via 192.168.0.254 dev eth1 table 10 metric 5
          192.168.112.0/24 via 192.168.0.254
          192.168.113.0/24 dev eth0 scope link
          blackhole 192.168.114.0/24
        }
      }
      """;

  static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults());
  }

  @Test
  void virtualRoutes_importedAsRoutes_unsupportedTypeWarnedAndSkipped() {
    KeepalivedConfig c = parse(CONF);
    VrrpInstanceSpec s = c.spec().vrrpInstances().get(0);
    assertThat(s.virtualRoutes()).containsExactly(
        new Route(Inet.parse("192.168.109.0"), 24, Inet.parse("192.168.0.254"), "eth1", Inet.parse("192.168.0.200"),
            5, 10, 0),
        Route.via("192.168.112.0/24", "192.168.0.254"),
        Route.dev("192.168.113.0/24", "eth0"));
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError)
        .anyMatch(d -> d.toString().contains("t.conf:11") && d.toString().contains("blackhole"));
    assertThat(s.extras().otherRoutes()).containsExactly("blackhole 192.168.114.0/24"); // carried, not installed
  }

  @Test
  void virtualRoutesLbkitDoesNotInstall_exportInTheSameBlock_andReimportEqual() {
    KeepalivedConfig c = parse(CONF);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).containsOnlyOnce("virtual_routes {").contains("blackhole 192.168.114.0/24\n");
    assertThat(parse(text).spec().vrrpInstances()).isEqualTo(c.spec().vrrpInstances());
  }

  @Test
  void virtualRoutes_exportThenImport_sameRoutes() {
    VrrpInstanceSpec s = parse(CONF).spec().vrrpInstances().get(0);
    String text = KeepalivedConfig.export(parse(CONF).spec());
    assertThat(text).contains("virtual_routes {");
    assertThat(parse(text).spec().vrrpInstances().get(0).virtualRoutes()).isEqualTo(s.virtualRoutes());
  }

  @Test
  void virtualRoutes_lineWithoutDestination_isAnErrorAtItsLine() {
    KeepalivedConfig c = parse(CONF.replace("192.168.112.0/24 via 192.168.0.254", "via 192.168.0.254"));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.toString().contains("t.conf:9"));
    assertThat(c.spec().vrrpInstances().get(0).virtualRoutes()).hasSize(2);
  }
}

package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance case of lb-runtime: a keepalived.conf with a VRRP instance tracking a
 * vrrp_script and a virtual server with an HTTP_GET check, started on in-memory VRRP
 * and fakes, then reloaded with a new vrrp_script (tracked with a weight) and a changed
 * real-server weight: both take effect, with no VIP change and no VRRP transition.
 */
class RuntimeAcceptanceTest {
  @TempDir Path dir;

  static String[] config(boolean reloaded) {
    return new String[] {
        "global_defs {", "  router_id lb1", "}",
        "vrrp_script chk_a {", "  script \"/bin/true\"", "  interval 1", "}",
        reloaded ? "vrrp_script chk_b {\n  script \"/bin/true\"\n  interval 1\n}" : "",
        "vrrp_instance VI_1 {", "  state BACKUP", "  interface eth0", "  virtual_router_id 51", "  priority 100",
        "  advert_int 1", "  virtual_ipaddress {", "    10.0.0.100", "  }",
        "  track_script {", "    chk_a", reloaded ? "    chk_b weight 20" : "", "  }", "}",
        "virtual_server 10.0.0.100 80 {", "  delay_loop 5", "  lb_algo wrr", "  lb_kind DR", "  protocol TCP",
        "  real_server 127.0.0.1 8080 {", "    weight " + (reloaded ? 3 : 1),
        "    HTTP_GET {", "      url {", "        path /health", "        status_code 200", "      }",
        "      connect_timeout 1", "    }", "  }", "}"};
  }

  @Test
  void reload_newWeightedScriptAndRealServerWeight_bothTakeEffect_noVipEventNoTransition() throws Exception {
    Lab lab = new Lab(dir);
    Path conf = lab.conf(config(false));
    LoadBalancerRuntime lb = lab.builder().start(conf);
    try {
      lab.clock.advance(Duration.ofSeconds(5)); // master down timer: 3 x advert_int + skew
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(lb.status().vrrp().get("VI_1").priority()).isEqualTo(100);
      assertThat(lab.addresses.has("eth0", Inet.parse("10.0.0.100"))).isTrue();
      ServiceKey web = lb.spec().virtualServices().get(0).key();
      assertThat(lab.checks.watched().get(web)).singleElement()
          .satisfies(r -> assertThat(r.weight()).isEqualTo(1));
      List<String> addressLog = lab.addresses.log();
      lab.ipvs.clearLog();

      Changes c = lb.reload(lab.conf(config(true)));

      assertThat(lb.status().vrrp().get("VI_1").priority()).as("100 + chk_b's weight 20").isEqualTo(120);
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(c.vrrp()).containsExactly("vrrp_script chk_b added", "vrrp_instance VI_1 changed");
      assertThat(c.ipvs().applied()).singleElement().isInstanceOfSatisfying(IpvsOp.UpdateDest.class,
          op -> assertThat(op.dest().weight()).isEqualTo(3));
      assertThat(lab.ipvs.log()).hasSize(1);
      assertThat(lab.checks.watched().get(web)).singleElement()
          .satisfies(r -> assertThat(r.weight()).isEqualTo(3));
      assertThat(lab.applied).hasSize(2).last().isEqualTo(c);
      lab.clock.advance(Duration.ofSeconds(5)); // adverts go on at the new priority; nothing else happens
      assertThat(lb.status().vrrp().get("VI_1").priority()).isEqualTo(120);
      assertThat(lab.addresses.log()).as("no VIP removed or added").isEqualTo(addressLog);
    } finally {
      lb.close();
    }
    // close drains the VRRP notify thread: every transition is recorded by now
    assertThat(lab.events).containsExactly("VI_1 INIT -> BACKUP", "VI_1 BACKUP -> MASTER", "VI_1 MASTER -> STOP");
  }
}

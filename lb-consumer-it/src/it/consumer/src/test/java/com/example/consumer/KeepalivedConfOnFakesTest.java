package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lbkit.api.ServiceView;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.FakeRouteManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's test of its embedded load balancer: a keepalived.conf started with
 * lb-runtime on the fakes (no root, no kernel), then reloaded with a changed weight.
 */
class KeepalivedConfOnFakesTest {
  @TempDir Path dir;

  static String conf(int weight) {
    return String.join("\n",
        "vrrp_instance VI_1 {",
        "  state BACKUP",
        "  interface eth0",
        "  virtual_router_id 51",
        "  priority 100",
        "  advert_int 1",
        "  virtual_ipaddress {",
        "    192.168.0.200",
        "  }",
        "}",
        "virtual_server 192.168.0.200 80 {",
        "  delay_loop 6",
        "  lvs_sched rr",
        "  lvs_method DR",
        "  protocol TCP",
        "  real_server 192.168.0.61 80 {",
        "    weight " + weight,
        "    HTTP_GET {",
        "      url {",
        "        path /test.html",
        "        status_code 200",
        "      }",
        "    }",
        "  }",
        "}",
        "");
  }

  @Test
  void keepalivedConf_runsOnFakes_andReloadsOnlyTheChange() throws Exception {
    ManualClock clock = new ManualClock();
    FakeIpvs ipvs = new FakeIpvs();
    FakeAddressManager addresses = new FakeAddressManager("eth0");
    ScriptedHealthChecking checks = new ScriptedHealthChecking();
    Path file = Files.writeString(dir.resolve("keepalived.conf"), conf(1));

    try (LoadBalancerRuntime lb = LoadBalancerRuntime.builder()
        .timers(clock)
        .ipvs(ipvs)
        .addresses(addresses)
        .routes(new FakeRouteManager("eth0"))
        .vrrpTransport(new InMemoryVrrpNetwork(clock, Duration.ZERO).host(Inet.parse("192.168.0.1")))
        .healthChecking(checks::attach)
        .start(file)) {
      clock.advance(Duration.ofSeconds(4)); // no other router: master after the master-down interval
      assertEquals(VrrpState.MASTER, lb.status().vrrp().get("VI_1").state());
      assertTrue(addresses.has("eth0", Inet.parse("192.168.0.200")));
      ServiceView web = lb.status().services().get(0);
      assertEquals(1, web.reals().get(0).weight());

      Files.writeString(file, conf(5));
      assertEquals(1, lb.reload(file).ipvs().applied().size(), "one weight change, one IPVS operation");
      assertEquals(5, lb.status().services().get(0).reals().get(0).weight());
      assertEquals(VrrpState.MASTER, lb.status().vrrp().get("VI_1").state());
    }
  }
}

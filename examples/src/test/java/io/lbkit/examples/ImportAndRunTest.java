package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import io.lbkit.testing.ScriptedHealthChecking;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportAndRunTest {
  @TempDir Path dir;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void importAndRun_seedConfig_runsItsVrrpInstanceAndVirtualServer_onFakes() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
        "vrrp_instance V_W {", "  interface eth0", "  virtual_router_id 51", "  priority 100",
        "  virtual_ipaddress {", "    192.168.0.200", "  }", "}",
        "virtual_server 192.168.0.200 80 {", "  delay_loop 6", "  lb_algo wrr", "  lb_kind DR",
        "  protocol TCP", "  real_server 192.168.0.61 80 {", "    weight 3", "    TCP_CHECK {",
        "      connect_timeout 3", "    }", "  }", "}", ""));
    LoadBalancerSpec spec = ImportAndRun.importFile(conf, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(spec).isNotNull();
    assertThat(spec.vrrpInstances()).hasSize(1);
    ManualClock clock = new ManualClock();
    FakeIpvs ipvs = new FakeIpvs();
    FakeAddressManager addresses = new FakeAddressManager("eth0");
    // no packet leaves the test: in-memory VRRP, scripted checks (no TCP_CHECK to 192.168.0.61)
    LoadBalancerRuntime.Builder fakes = LoadBalancerRuntime.builder().timers(clock).ipvs(ipvs).addresses(addresses)
        .routes(new NoRoutes()).vrrpTransport(new InMemoryVrrpNetwork(clock, Duration.ZERO).host(
            Inet.parse("192.168.0.1"))).linkStatus(iface -> true)
        .healthChecking(new ScriptedHealthChecking()::attach);
    try (LoadBalancerRuntime lb = ImportAndRun.run(spec, fakes, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true))
          .contains("TCP  192.168.0.200:80 wrr", "  -> 192.168.0.61:80              Route   3");
      clock.advance(Duration.ofSeconds(5));
      assertThat(lb.status().vrrp().get("V_W").state()).isEqualTo(VrrpState.MASTER);
      assertThat(addresses.has("eth0", Inet.parse("192.168.0.200"))).isTrue();
    }
    assertThat(addresses.has("eth0", Inet.parse("192.168.0.200"))).as("closed: VIP removed").isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ipvsadm -A -t 192.168.0.200:80 -s wrr",
        "V_W: BACKUP -> MASTER", "V_W: MASTER -> STOP");
  }

  /** The seed has no routes: any route is a mistake. */
  static final class NoRoutes implements RouteManager {
    @Override
    public AddressManager.Change add(Route r) {
      throw new AssertionError("unexpected route " + r);
    }

    @Override
    public AddressManager.Change remove(Route r) {
      throw new AssertionError("unexpected route " + r);
    }
  }

  @Test
  void importFile_withAnError_printsItWithFileAndLine_andGivesNull() throws Exception {
    Path conf = Files.writeString(dir.resolve("bad.conf"), String.join("\n",
        "virtual_server 192.168.0.200 80 {", "  real_server 300.1.1.1 80 {", "  }", "}", ""));
    assertThat(ImportAndRun.importFile(conf, new PrintStream(err, true, StandardCharsets.UTF_8))).isNull();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.conf:2");
  }
}

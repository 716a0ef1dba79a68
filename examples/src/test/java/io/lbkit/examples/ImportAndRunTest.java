package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportAndRunTest {
  @TempDir Path dir;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void importFile_seedConfig_runsItsVirtualServerOnFakeIpvs() throws Exception {
    Path conf = Files.writeString(dir.resolve("keepalived.conf"), String.join("\n",
        "vrrp_instance V_W {", "  interface eth0", "  virtual_router_id 51", "  priority 100",
        "  virtual_ipaddress {", "    192.168.0.200", "  }", "}",
        "virtual_server 192.168.0.200 80 {", "  delay_loop 6", "  lvs_sched wrr", "  lvs_method DR",
        "  protocol TCP", "  real_server 192.168.0.61 80 {", "    weight 3", "    TCP_CHECK {",
        "      connect_timeout 3", "    }", "  }", "}", ""));
    LoadBalancerSpec spec = ImportAndRun.importFile(conf, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(spec).isNotNull();
    assertThat(spec.vrrpInstances()).isEmpty();
    FakeIpvs ipvs = new FakeIpvs();
    try (LoadBalancer lb = ImportAndRun.run(spec, ipvs, new ManualClock())) { // the clock stays: no check runs
      assertThat(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true))
          .contains("TCP  192.168.0.200:80 wrr", "  -> 192.168.0.61:80              Route   3");
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

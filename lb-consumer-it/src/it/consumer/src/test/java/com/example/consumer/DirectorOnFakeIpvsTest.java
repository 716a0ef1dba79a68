package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.testing.FakeIpvs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user's unit test looks like: the fluent API, the Director, FakeIpvs, no root. */
class DirectorOnFakeIpvsTest {

  private static final VirtualService WEB = VirtualService.tcp("192.168.0.200", 80).rr().dr()
      .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure()
          .check(HttpCheck.get("/test.html").status(200)))
      .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure()
          .check(HttpCheck.get("/test.html").status(200)));

  @Test
  void setServices_onFakeIpvs_listsLikeIpvsadm() throws Exception {
    FakeIpvs ipvs = new FakeIpvs();
    Director director = Director.create(ipvs);

    director.setServices(List.of(WEB));

    // ipvsadm pads the counter columns: compare without the trailing blanks
    assertEquals(List.of(
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
        "TCP  192.168.0.200:80 rr",
        "  -> 192.168.0.61:80              Route   1      0          0",
        "  -> 192.168.0.62:80              Route   1      0          0"),
        lines(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true)));
  }

  @Test
  void healthDown_inhibitOnFailure_weightZero() throws Exception {
    FakeIpvs ipvs = new FakeIpvs();
    Director director = Director.create(ipvs);
    director.setServices(List.of(WEB));

    director.onHealth(HealthEvent.down(WEB.key(), WEB.realServers().get(0).key(), "connection refused"));

    String table = IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true);
    assertEquals(List.of(
        "  -> 192.168.0.61:80              Route   0      0          0",
        "  -> 192.168.0.62:80              Route   1      0          0"),
        lines(table).stream().filter(l -> l.startsWith("  -> 192.")).toList());
  }

  private static List<String> lines(String table) {
    return table.lines().map(String::stripTrailing).toList();
  }

  @Test
  void junit_isTheConsumersVersion_notLbkits() {
    // lb-testing must not force its JUnit on a user: the junit-bom this project imports wins
    assertEquals("5.10.3", Test.class.getPackage().getImplementationVersion());
  }
}

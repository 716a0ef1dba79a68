package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seed director example on FakeIpvs (VRRP off: it is MasterOnlyWorkTest's subject). */
class SeedDirectorTest {
  final ManualClock clock = new ManualClock();
  final FakeIpvs ipvs = new FakeIpvs();

  String table() throws Exception {
    return IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true);
  }

  @Test
  void spec_onFakeIpvs_programsTheSeedsTable() throws Exception {
    LoadBalancerSpec spec = SeedDirector.spec("eth0", 100,
        List.of(RealServer.of("192.168.0.61", 80), RealServer.of("192.168.0.62", 80)));
    assertThat(spec.vrrpInstances()).singleElement().satisfies(v -> {
      assertThat(v.name()).isEqualTo("V_W");
      assertThat(v.vrid()).isEqualTo(51);
      assertThat(v.preempt()).isFalse();
    });
    // the clock never moves: no check runs, no packet leaves
    try (LoadBalancer lb = SeedDirector.start(spec.withVrrpInstances(List.of()), ipvs, null, clock)) {
      assertThat(table()).contains(String.join("\n",
          "TCP  192.168.0.200:80 rr",
          "  -> 192.168.0.61:80              Route   1      0          0         ",
          "  -> 192.168.0.62:80              Route   1      0          0         "));
      assertThat(lb.status().toJson()).contains("\"real\":\"192.168.0.61:80\",\"up\":true,\"weight\":1");
    }
  }

  @Test
  void start_aWebServerStops_itsWeightGoesTo0_afterTheRetries_andBackTo1() throws Exception {
    HttpServer a = web("shizune");
    HttpServer b = web("tenten");
    int portA = a.getAddress().getPort();
    LoadBalancerSpec spec = SeedDirector.spec("eth0", 100, List.of(RealServer.of("127.0.0.1", portA),
        RealServer.of("127.0.0.1", b.getAddress().getPort()))).withVrrpInstances(List.of());
    LinkedBlockingQueue<HealthEvent> events = new LinkedBlockingQueue<>();
    try (LoadBalancer lb = SeedDirector.start(spec, ipvs, null, clock)) {
      lb.addHealthListener(events::add);
      a.stop(0);
      HealthEvent down = advanceUntilEvent(events, 60);
      assertThat(down.up()).isFalse();
      assertThat(down.real().port()).isEqualTo(portA);
      assertThat(table()).containsPattern("127\\.0\\.0\\.1:" + portA + " +Route +0 ");
      a = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), portA), 0);
      serve(a, "shizune");
      HealthEvent up = advanceUntilEvent(events, 20);
      assertThat(up.up()).isTrue();
      assertThat(table()).containsPattern("127\\.0\\.0\\.1:" + portA + " +Route +1 ");
    } finally {
      a.stop(0);
      b.stop(0);
    }
  }

  /** Advances the clock a second at a time (at most {@code seconds}) until a health event arrives. */
  private HealthEvent advanceUntilEvent(LinkedBlockingQueue<HealthEvent> events, int seconds) throws Exception {
    for (int i = 0; i < seconds; i++) {
      clock.advance(Duration.ofSeconds(1));
      HealthEvent e = events.poll(200, TimeUnit.MILLISECONDS); // the check's I/O is real
      if (e != null) {
        return e;
      }
    }
    throw new AssertionError("no health event within " + seconds + " s of clock time");
  }

  static HttpServer web(String name) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve(s, name);
    return s;
  }

  static void serve(HttpServer s, String name) {
    byte[] page = ("<html> <body> " + name + " webserv </body> </html>\n").getBytes(StandardCharsets.UTF_8);
    s.createContext("/test.html", x -> {
      x.sendResponseHeaders(200, page.length);
      x.getResponseBody().write(page);
      x.close();
    });
    s.start();
  }
}

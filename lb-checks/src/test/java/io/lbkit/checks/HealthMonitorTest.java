package io.lbkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public entry end to end: real time, a real HTTP server that dies, events to a listener. */
class HealthMonitorTest {
  /** Found through META-INF/services in the test resources. */
  public static final class AlwaysUp implements Checker {
    @Override
    public String type() {
      return "ALWAYS_UP";
    }

    @Override
    public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {
      return CompletableFuture.completedFuture(CheckResult.up("always"));
    }
  }

  static final ServiceKey SVC = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 80);
  final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
  final LinkedBlockingQueue<HealthEvent> events = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    exec.shutdownNow();
  }

  @Test
  void serverDies_downEventThenUp_injectedTimer() throws Exception {
    serverDies(HealthMonitor.builder(TimerService.system(exec)));
  }

  @Test
  void serverDies_downEventThenUp_timersOnTheCheckThread() throws Exception {
    serverDies(HealthMonitor.builder());
  }

  private void serverDies(HealthMonitor.Builder builder) throws Exception {
    ServerSocket srv = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = srv.getLocalPort();
    Thread t = serve(srv);
    try (HealthMonitor m = builder.listener(events::add).build()) {
      RealServerKey real = new RealServerKey(InetAddress.getLoopbackAddress(), port);
      // 5 s: an up server's check timing out on a loaded machine would add a down event to the sequence
      CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5)).retry(0, Duration.ZERO);
      m.watch(HealthMonitor.Backend.of(SVC, real).delayLoop(Duration.ofMillis(200)).alpha(true),
          List.of(HttpCheck.get("/").timing(timing)));
      assertThat(events.poll(5, TimeUnit.SECONDS).up()).isFalse(); // alpha
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthEvent.up(SVC, real, "HTTP_GET: status 200 on /"));
      assertThat(m.status(SVC, real)).isEqualTo(new HealthMonitor.Status(true, -1, true));
      srv.close();
      t.join(2000);
      HealthEvent down = events.poll(5, TimeUnit.SECONDS);
      assertThat(down).isEqualTo(HealthEvent.down(SVC, real, "HTTP_GET: connection refused"));
      assertThat(m.isUp(SVC, real)).isFalse();
    }
  }

  @Test
  void serviceLoaderChecker_runsForItsType() throws Exception {
    try (HealthMonitor m = HealthMonitor.builder(TimerService.system(exec)).listener(events::add).build()) {
      RealServerKey real = RealServerKey.of("127.0.0.1", 1);
      m.watch(HealthMonitor.Backend.of(SVC, real).alpha(true), List.of(new CustomCheck("ALWAYS_UP", Map.of(),
          CheckTiming.DEFAULT, CheckTarget.REAL_SERVER)));
      events.poll(5, TimeUnit.SECONDS);
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthEvent.up(SVC, real, "ALWAYS_UP: always"));
    }
  }

  private static Thread serve(ServerSocket srv) {
    Thread t = new Thread(() -> {
      while (!srv.isClosed()) {
        try (Socket s = srv.accept()) {
          s.getInputStream().read(new byte[1024]);
          OutputStream o = s.getOutputStream();
          o.write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}

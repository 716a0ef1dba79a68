package io.lbkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.checks.HealthMonitor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example plug-in, found by ServiceLoader, against a tiny Redis-speaking server on 127.0.0.1. */
class RedisPingCheckerTest {
  static final ServiceKey SVC = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 6379);

  @Test
  void pong_isUp_thenServerGone_isDownRefused() throws Exception {
    ServerSocket redis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!redis.isClosed()) {
        try (Socket s = redis.accept()) {
          s.getInputStream().read(new byte[64]);
          s.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    LinkedBlockingQueue<HealthEvent> events = new LinkedBlockingQueue<>();
    try (HealthMonitor m = HealthMonitor.builder(TimerService.system(exec)).listener(events::add).build()) {
      RealServerKey real = new RealServerKey(InetAddress.getLoopbackAddress(), redis.getLocalPort());
      // 5 s: an up server's check timing out on a loaded machine would add a down event to the sequence
      CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5)).retry(0, Duration.ZERO);
      m.watch(HealthMonitor.Backend.of(SVC, real).alpha(true).delayLoop(Duration.ofMillis(200)),
          List.of(new CustomCheck("REDIS_PING", Map.of(), timing, CheckTarget.REAL_SERVER)));
      assertThat(events.poll(5, TimeUnit.SECONDS).up()).isFalse();
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthEvent.up(SVC, real, "REDIS_PING: redis answered +PONG"));
      redis.close();
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthEvent.down(SVC, real, "REDIS_PING: connection refused"));
    } finally {
      exec.shutdownNow();
    }
  }
}

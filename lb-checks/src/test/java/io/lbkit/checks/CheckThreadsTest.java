package io.lbkit.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code HealthMonitor.Builder.checkThreads}: real servers spread over several check threads, real time. */
class CheckThreadsTest {
  static final ServiceKey SVC = ServiceKey.of(Protocol.TCP, io.lbkit.api.net.Inet.parse("192.168.0.200"), 80);

  @Test
  void fourThreads_everyRealServerJudged_eventsOneAtATime() throws Exception {
    try (ServerSocket srv = new ServerSocket()) {
      srv.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 200);
      int closedPort;
      // chosen while srv holds its port (chosen before, the freed port could become srv's, and the "bad" servers
      // would answer)
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = probe.getLocalPort(); // nothing listens there once closed
      }
      serve(srv);
      Map<RealServerKey, Boolean> last = new ConcurrentHashMap<>();
      // which thread ran each real server's attempts (the observer is called on the check thread; the listener is
      // not a witness: a thread that adds a real server delivers whatever its scheduler queued, the main thread too)
      Map<RealServerKey, Set<String>> ranOn = new ConcurrentHashMap<>();
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger mostInside = new AtomicInteger();
      AtomicInteger ups = new AtomicInteger();
      try (HealthMonitor m = HealthMonitor.builder().checkThreads(4).listener(e -> {
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        last.put(e.real(), e.up());
        if (e.up()) {
          ups.incrementAndGet();
        }
        sleepBriefly(); // widen the window in which a second thread could enter
        inside.decrementAndGet();
      }).observer((service, real, type, result, nanos, lag) ->
          ranOn.computeIfAbsent(real, k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName())
      ).build()) {
        // 5 s: a good server's check that timed out on a loaded machine would flap it (a second up event)
        CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5)).retry(0, Duration.ZERO);
        for (int i = 1; i <= 16; i++) {
          RealServerKey good = new RealServerKey(InetAddress.getByName("127.0.0." + i), srv.getLocalPort());
          RealServerKey bad = new RealServerKey(InetAddress.getByName("127.0.1." + i), closedPort);
          for (RealServerKey r : List.of(good, bad)) {
            m.watch(HealthMonitor.Backend.of(SVC, r).delayLoop(Duration.ofMillis(100)).alpha(true),
                List.of(HttpCheck.get("/").timing(timing)));
          }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!allChecked(m, closedPort, srv.getLocalPort()) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(allChecked(m, closedPort, srv.getLocalPort())).as("every real server checked within 30 s").isTrue();
        for (int i = 1; i <= 16; i++) {
          assertThat(m.isUp(SVC, new RealServerKey(InetAddress.getByName("127.0.0." + i), srv.getLocalPort()))).isTrue();
          assertThat(m.isUp(SVC, new RealServerKey(InetAddress.getByName("127.0.1." + i), closedPort))).isFalse();
        }
        assertThat(ups.get()).isEqualTo(16); // one up event each, no flapping
        assertThat(ranOn).as("real servers with attempts").hasSize(32);
        ranOn.forEach((real, names) -> assertThat(names).as("threads that checked " + real).hasSize(1)
            .allMatch(n -> n.matches("lbkit-checks-[0-3]")));
        Set<String> used = ConcurrentHashMap.newKeySet();
        ranOn.values().forEach(used::addAll);
        assertThat(used).as("check threads that ran attempts").hasSizeGreaterThan(1);
        assertThat(mostInside.get()).as("listener calls at once").isEqualTo(1);
        assertThat(m.attempts()).isGreaterThanOrEqualTo(32);
        assertThat(m.timerLag(false).count()).isGreaterThanOrEqualTo(32);
        assertThat(m.unwatch(SVC, new RealServerKey(InetAddress.getByName("127.0.0.3"), srv.getLocalPort()))).isTrue();
        assertThat(m.isUp(SVC, new RealServerKey(InetAddress.getByName("127.0.0.3"), srv.getLocalPort()))).isNull();
      }
    }
  }

  @Test
  void checkThreads_outOfRange_rejectedWithTheValue() {
    assertThatThrownBy(() -> HealthMonitor.builder().checkThreads(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkThreads must be within 1-64: 0");
    assertThatThrownBy(() -> HealthMonitor.builder().checkThreads(65)).hasMessageContaining(": 65");
  }

  private static boolean allChecked(HealthMonitor m, int closedPort, int port) throws IOException {
    for (int i = 1; i <= 16; i++) {
      HealthMonitor.Status good = m.status(SVC, new RealServerKey(InetAddress.getByName("127.0.0." + i), port));
      HealthMonitor.Status bad = m.status(SVC, new RealServerKey(InetAddress.getByName("127.0.1." + i), closedPort));
      if (!good.checked() || !good.up() || !bad.checked()) {
        return false;
      }
    }
    return true;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void serve(ServerSocket srv) {
    Thread t = new Thread(() -> {
      while (!srv.isClosed()) {
        try (Socket s = srv.accept()) {
          s.setSoTimeout(10_000);
          s.getInputStream().read(new byte[1024]);
          OutputStream o = s.getOutputStream();
          o.write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // a check closed with a reset, or the server closed: next connection
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }
}

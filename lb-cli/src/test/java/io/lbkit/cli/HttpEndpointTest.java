package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.vrrp.VrrpState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint on its own: routes, loopback rule, event order, and a client that stops reading. */
class HttpEndpointTest {
  final EventHub hub = new EventHub(() -> Instant.parse("2026-12-06T12:00:00Z"));
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  HttpEndpoint http;

  @AfterEach
  void close() {
    if (http != null) {
      http.close();
    }
  }

  HttpEndpoint start() throws Exception {
    http = HttpEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, hub,
        new HttpEndpoint.Sources(() -> HttpEndpoint.Body.of("lbkit_up 1.0\n".getBytes(StandardCharsets.UTF_8)),
            () -> "{\"vrrp\":{}}", () -> "{\"services\":[]}"));
    return http;
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metrics_largeBodyInAReusedBuffer_sentWhole_onlyItsLength_thenHandedBack() throws Exception {
    byte[] buf = new byte[100_003 + 50];
    StringBuilder text = new StringBuilder();
    while (text.length() < 100_003) {
      text.append("lbkit_x{i=\"").append(text.length()).append("\"} 1.0\n");
    }
    byte[] body = text.substring(0, 100_003).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(body, 0, buf, 0, body.length);
    java.util.Arrays.fill(buf, body.length, buf.length, (byte) '#'); // past the length: never sent
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    http = HttpEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, hub,
        new HttpEndpoint.Sources(() -> new HttpEndpoint.Body(buf, body.length, sent::incrementAndGet),
            () -> "{}", () -> "{}"));
    HttpResponse<String> r = get("/metrics");
    assertThat(r.body()).isEqualTo(text.substring(0, 100_003));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // handed back right after the last byte
    while (sent.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(sent.get()).isEqualTo(1);
  }

  @Test
  void nonLoopbackAddress_refusedWithoutTheFlag() {
    assertThatThrownBy(() -> HttpEndpoint.start(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0), false,
        hub, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http-allow-remote");
  }

  @Test
  void routes_serveMetricsStatusTableAndThePageFromResources() throws Exception {
    start();
    assertThat(get("/metrics").body()).isEqualTo("lbkit_up 1.0\n");
    assertThat(get("/metrics").headers().firstValue("Content-Type")).hasValueSatisfying(v -> v.startsWith("text/plain"));
    assertThat(get("/status").body()).isEqualTo("{\"vrrp\":{}}\n");
    assertThat(get("/table").body()).isEqualTo("{\"services\":[]}\n");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"app.js\"").doesNotContain("http://", "https://");
    assertThat(get("/app.js").body()).contains("EventSource(\"events\")").doesNotContain("http://", "https://");
    assertThat(get("/style.css").statusCode()).isEqualTo(200);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort()
        + "/status")).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(405);
  }

  @Test
  void events_arriveInOrder_withSequenceAndTime() throws Exception {
    start();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.address().getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (hub.subscribers() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(hub.subscribers()).as("the stream subscribed (events published before would not reach it)")
          .isEqualTo(1);
      hub.vrrpStateChanged("VI_1", VrrpState.BACKUP, VrrpState.MASTER, "master down timer expired");
      hub.vrrpStateChanged("VI_1", VrrpState.MASTER, VrrpState.BACKUP, "higher priority advert");
      hub.reloadFailed(new IllegalStateException("auth_pass s3cr3t is wrong"));
      List<String> data = new ArrayList<>();
      String line;
      while (data.size() < 3 && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
      assertThat(data).containsExactly(
          "{\"seq\":1,\"time\":\"2026-12-06T12:00:00Z\",\"type\":\"vrrp\",\"instance\":\"VI_1\",\"from\":\"BACKUP\","
              + "\"to\":\"MASTER\",\"reason\":\"master down timer expired\"}",
          "{\"seq\":2,\"time\":\"2026-12-06T12:00:00Z\",\"type\":\"vrrp\",\"instance\":\"VI_1\",\"from\":\"MASTER\","
              + "\"to\":\"BACKUP\",\"reason\":\"higher priority advert\"}",
          "{\"seq\":3,\"time\":\"2026-12-06T12:00:00Z\",\"type\":\"reload\",\"result\":\"failure\"}");
    }
  }

  @Test
  void clientThatStopsReading_isDropped_publishingNeverWaits_othersServed() throws Exception {
    start();
    try (Socket stuck = new Socket(InetAddress.getLoopbackAddress(), http.address().getPort())) {
      stuck.setReceiveBufferSize(4096);
      stuck.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (hub.subscribers() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(hub.subscribers()).isEqualTo(1);
      String reason = "x".repeat(8192);
      for (int i = 0; i < 2 * EventHub.BACKLOG; i++) { // far more than the socket buffers hold: never blocks
        hub.vrrpStateChanged("VI_1", VrrpState.BACKUP, VrrpState.MASTER, reason);
      }
      assertThat(get("/status").body()).as("served while a stream is stuck").startsWith("{");
      deadline = System.nanoTime() + HttpEndpoint.WRITE_DEADLINE.toNanos() + 20_000_000_000L;
      while (hub.subscribers() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(hub.subscribers()).as("the stuck stream was dropped").isZero();
    }
  }
}

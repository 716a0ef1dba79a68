package io.lbkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoWebServerTest {
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  HttpResponse<String> get(DemoWebServer s) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/test.html"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesItsName_refusesWhenStopped_andComesBackOnTheSamePort() throws Exception {
    try (DemoWebServer s = DemoWebServer.start("tenten")) {
      int port = s.port();
      HttpResponse<String> r = get(s);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("tenten webserv");

      s.stop();
      assertThat(s.running()).isFalse();
      assertThatThrownBy(() -> get(s)).isInstanceOf(ConnectException.class);

      s.restart();
      assertThat(s.port()).isEqualTo(port);
      assertThat(get(s).body()).contains("tenten webserv");
    }
  }
}

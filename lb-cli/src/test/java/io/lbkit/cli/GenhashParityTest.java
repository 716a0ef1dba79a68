package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** lbctl genhash and keepalived's genhash against the same local HTTP server: same requests, same output. */
class GenhashParityTest {
  static final String BODY = "<html>lbkit parity\u00e9\n\r\n\t</html>\n".repeat(7);
  static ServerSocket server;
  static final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Tiers.requireProgram("genhash");
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.setSoTimeout(5000);
          requests.add(readHead(s.getInputStream()));
          byte[] body = BODY.getBytes(StandardCharsets.ISO_8859_1);
          String head = "HTTP/1.0 200 OK\r\nServer: parity\r\nContent-Type: text/html\r\nContent-Length: "
              + body.length + "\r\n\r\n";
          s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().write(body);
        } catch (java.io.IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while (!sb.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
      sb.append((char) c);
    }
    return sb.toString();
  }

  static String genhash(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("genhash"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("genhash did not finish in 20 s");
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  static String lbctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "genhash";
    System.arraycopy(args, 0, all, 1, args.length);
    Lbctl.run(all, new PrintStream(out, true, StandardCharsets.ISO_8859_1), new PrintStream(new ByteArrayOutputStream()));
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Drops what legitimately differs: the measured time, and the "HTML Buffer" rule, which
   * genhash prints only when the body comes in a later read than the header.
   */
  static String normalized(String s) {
    return s.replaceAll("Global response time for \\[[^]]*\\] = \\d+ usecs", "Global response time")
        .replace("-----------------------[        HTML Buffer        ]-----------------------\n", "");
  }

  @Test
  void digest_sameOutputAndSameRequest() throws Exception {
    String port = String.valueOf(server.getLocalPort());
    requests.clear();
    String theirs = genhash("-s", "127.0.0.1", "-p", port, "-u", "/index.html");
    String ours = lbctl("-s", "127.0.0.1", "-p", port, "-u", "/index.html");
    assertThat(theirs).matches("[0-9a-f]{32}\n");
    assertThat(ours).isEqualTo(theirs);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).isEqualTo(requests.get(0));
  }

  @Test
  void virtualHostAndHttp11_sameOutputAndSameRequest() throws Exception {
    String port = String.valueOf(server.getLocalPort());
    requests.clear();
    String theirs = genhash("--server", "127.0.0.1", "--port", port, "--url", "/a?b=c", "-V", "www.example.com", "-P",
        "1.1");
    String ours = lbctl("--server", "127.0.0.1", "--port", port, "--url", "/a?b=c", "-V", "www.example.com", "-P",
        "1.1");
    assertThat(ours).isEqualTo(theirs);
    assertThat(requests.get(1)).isEqualTo(requests.get(0)).contains("Host: www.example.com\r\n");
  }

  @Test
  void verbose_sameDumpsExceptTheResponseTime() throws Exception {
    String port = String.valueOf(server.getLocalPort());
    String theirs = genhash("-v", "-s", "127.0.0.1", "-p", port, "-u", "/v");
    String ours = lbctl("-v", "-s", "127.0.0.1", "-p", port, "-u", "/v");
    assertThat(normalized(ours)).isEqualTo(normalized(theirs));
    assertThat(ours).contains("[    HTML hash resulting    ]");
  }

  @Test
  void refused_sameMessage() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String theirs = genhash("-s", "127.0.0.1", "-p", String.valueOf(closed), "-u", "/");
    assertThat(lbctl("-s", "127.0.0.1", "-p", String.valueOf(closed), "-u", "/")).isEqualTo(theirs);
  }
}

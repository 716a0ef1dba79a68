package io.lbkit.cli;

import io.lbkit.harness.netns.Lan;
import io.lbkit.netlink.internal.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For the netns and browser tiers: two {@code lbctl run} processes (A priority 150, B 100)
 * on a two-member {@link Lan}, each with two VRRP instances (VI_1 VRRPv3, VI_2 VRRPv2 with
 * auth_pass {@link #SECRET}) and a NAT virtual server on the nftables dataplane whose two
 * real servers are listeners of this test on 127.0.0.1 in both directors' namespaces
 * (where the health checks come from), each serving {@code --http 127.0.0.1:0}.
 */
final class RunPair implements AutoCloseable {
  static final String SECRET = "s3cr3tPw";
  private static final Pattern HTTP_LINE = Pattern.compile("status page and /metrics on http://127\\.0\\.0\\.1:(\\d+)/");
  final Lan lan = Lan.create(2, "10.9.7.0/24");
  final Backend[] reals = new Backend[2];
  final Lb a;
  final Lb b;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A real server: a listener on 127.0.0.1 in each director's namespace (where the health
   * checks of {@code lbctl run --netns} come from, as keepalived's do), one port in both,
   * that accepts and closes; killed (connections refused) and revived on its port.
   */
  static final class Backend implements AutoCloseable {
    final int port;
    private final List<String> namespaces;
    private volatile List<ServerSocket> sockets;

    Backend(List<String> namespaces) throws IOException {
      this.namespaces = namespaces;
      ServerSocket first = Netns.call(namespaces.get(0), () -> new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      port = first.getLocalPort();
      List<ServerSocket> all = new java.util.ArrayList<>(List.of(first));
      for (String ns : namespaces.subList(1, namespaces.size())) {
        all.add(bind(ns, port));
      }
      sockets = all;
      all.forEach(Backend::serve);
    }

    private static ServerSocket bind(String ns, int port) throws IOException {
      return Netns.call(ns, () -> {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
      });
    }

    private static void serve(ServerSocket s) {
      Thread t = new Thread(() -> {
        while (!s.isClosed()) {
          try (Socket c = s.accept()) {
            c.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException closed) {
            return;
          }
        }
      }, "backend-" + s.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    void kill() throws IOException {
      close();
    }

    void revive() throws IOException {
      List<ServerSocket> all = new java.util.ArrayList<>();
      for (String ns : namespaces) {
        all.add(bind(ns, port));
      }
      sockets = all;
      all.forEach(Backend::serve);
    }

    String key() {
      return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** One lbctl run process and what it serves. */
  final class Lb {
    final String name;
    final Process process;
    final Path out;
    final int port;
    final List<String> events = new CopyOnWriteArrayList<>();
    private Socket eventStream;

    Lb(String name, Path dir, int member, int priority) throws Exception {
      this.name = name;
      Path conf = Files.writeString(dir.resolve(name + ".conf"), conf(priority));
      out = dir.resolve(name + ".out");
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), Lbctl.class.getName(), "run", conf.toString(), "--netns",
          lan.member(member).name(), "--dataplane", "nftables", "--http", "127.0.0.1:0", "--http-metrics-detail",
          "--control", dir.resolve(name + ".sock").toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      int[] p = new int[1];
      // 60 s: a cold JVM with C2 (run --http) took over 20 s to serve at load 40 (a CI run beside six builds)
      if (!await(60_000, () -> {
        Matcher m = HTTP_LINE.matcher(output());
        if (m.find()) {
          p[0] = Integer.parseInt(m.group(1));
          return true;
        }
        return !process.isAlive();
      }) || p[0] == 0) {
        process.destroyForcibly(); // not yet this pair's: close() would not find it
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name + " did not start serving HTTP:\n" + output());
      }
      port = p[0];
    }

    String output() {
      try {
        return Files.readString(out);
      } catch (IOException e) {
        return "";
      }
    }

    String get(String path) throws Exception {
      return client.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }

    String url() {
      return "http://127.0.0.1:" + port + "/";
    }

    /** Collects /events' data lines into {@link #events} from now on. */
    void follow() throws Exception {
      eventStream = new Socket(InetAddress.getLoopbackAddress(), port);
      eventStream.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(eventStream.getInputStream(), StandardCharsets.UTF_8));
      Thread t = new Thread(() -> {
        try {
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("data: ")) {
              events.add(line.substring(6));
            }
          }
        } catch (IOException closed) {
          // the test or lbctl run ended the stream
        }
      }, name + "-events");
      t.setDaemon(true);
      t.start();
    }

    /** SIGTERM, and wait for the graceful stop. */
    boolean stop() throws InterruptedException {
      process.destroy();
      return process.waitFor(20, TimeUnit.SECONDS);
    }

    void kill() throws Exception {
      if (eventStream != null) {
        eventStream.close();
      }
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  RunPair(Path dir) throws Exception {
    try {
      List<String> directors = List.of(lan.member(0).name(), lan.member(1).name());
      reals[0] = new Backend(directors);
      reals[1] = new Backend(directors);
      a = new Lb("lba", dir, 0, 150);
      b = new Lb("lbb", dir, 1, 100);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  String conf(int priority) {
    return String.join("\n",
        "vrrp_instance VI_1 {", "  state BACKUP", "  interface eth0", "  virtual_router_id 61",
        "  priority " + priority, "  version 3", "  advert_int 0.2", "  virtual_ipaddress {", "    10.9.7.101/32",
        "  }", "}",
        "vrrp_instance VI_2 {", "  state BACKUP", "  interface eth0", "  virtual_router_id 62",
        "  priority " + priority, "  version 2", "  advert_int 1", "  authentication {", "    auth_type PASS",
        "    auth_pass " + SECRET, "  }", "  virtual_ipaddress {", "    10.9.7.102/32", "  }", "}",
        "virtual_server 10.9.7.100 80 {", "  delay_loop 1", "  lb_algo rr", "  lb_kind NAT", "  protocol TCP",
        "  real_server 127.0.0.1 " + reals[0].port + " {", "    weight 1",
        "    TCP_CHECK {", "      connect_timeout 1", "      retry 0", "    }", "  }",
        "  real_server 127.0.0.1 " + reals[1].port + " {", "    weight 2",
        "    TCP_CHECK {", "      connect_timeout 1", "      retry 0", "    }", "  }", "}", "");
  }

  /** True once {@code condition} holds, false after {@code millis}. */
  static boolean await(long millis, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  /** The value of the one sample of {@code metric} whose label text contains every one of {@code labels}. */
  static Double sample(String scrape, String metric, String... labels) {
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return null;
  }

  @Override
  public void close() {
    for (Lb l : new Lb[] {a, b}) {
      if (l != null) {
        try {
          l.kill();
        } catch (Exception ignored) {
          // best effort: the namespaces go next
        }
      }
    }
    for (Backend r : reals) {
      if (r != null) {
        try {
          r.close();
        } catch (IOException ignored) {
          // closing our own listener
        }
      }
    }
    lan.close();
  }
}

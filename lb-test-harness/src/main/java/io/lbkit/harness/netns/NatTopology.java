package io.lbkit.harness.netns;

import java.time.Instant;

/**
 * Three namespaces for NAT traffic through a director: a client (10.8.1.2) reaching the VIP
 * 192.0.2.200 through the director (10.8.1.1, 10.8.2.1, forwarding), and a real server
 * (10.8.2.2, default route via the director) running a web server on port 8080. For tests
 * whose counters must move; closes all three.
 */
public final class NatTopology implements AutoCloseable {
  /** The VIP (on a dummy interface of the director). */
  public static final String VIP = "192.0.2.200";
  /** The real server's address; its web server listens on port 8080. */
  public static final String RS = "10.8.2.2";
  /** The client's namespace. */
  public final NetNs client = NetNs.create();
  /** The director's namespace. */
  public final NetNs director = NetNs.create();
  /** The real server's namespace. */
  public final NetNs server = NetNs.create();

  /** Creates the three namespaces and starts the web server (python3's http.server; 20 s deadline). */
  public NatTopology() {
    NetNs.veth(client, "eth0", director, "c0");
    NetNs.veth(server, "eth0", director, "r0");
    client.addAddress("eth0", "10.8.1.2/24").ip("route", "add", "default", "via", "10.8.1.1");
    director.addAddress("c0", "10.8.1.1/24").addAddress("r0", "10.8.2.1/24");
    director.addDummy("vip0").up("vip0").addAddress("vip0", VIP + "/32");
    director.run("sysctl", "-qw", "net.ipv4.ip_forward=1");
    server.addAddress("eth0", RS + "/24").ip("route", "add", "default", "via", "10.8.2.1");
    server.start("python3", "-m", "http.server", "8080", "--bind", RS);
    Instant end = Instant.now().plusSeconds(20);
    while (!server.exec("curl", "-s", "-o", "/dev/null", "--max-time", "1", "http://" + RS + ":8080/").ok()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("the web server in " + server.name() + " did not start within 20 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** One HTTP GET from the client to the VIP; its body, or fails. */
  public String get() {
    return client.run("curl", "-s", "--max-time", "5", "http://" + VIP + "/");
  }

  @Override
  public void close() {
    try (NetNs a = client; NetNs b = director; NetNs c = server) {
      // closes all three
    }
  }
}

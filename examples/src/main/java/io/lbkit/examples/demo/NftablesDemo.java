package io.lbkit.examples.demo;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.net.DirectRoutingRealServer;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.Lan;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.ProcSysctl;
import io.lbkit.nftables.NftablesIpvs;
import io.lbkit.nftables.RedirectRealServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The seed on the nftables dataplane, for real, for a kernel without IPVS: a client, a
 * director and the two real servers in namespaces this creates on one bridge (never the
 * host's interfaces); the director is lb-runtime's {@code LoadBalancerRuntime} on
 * {@code Dataplane.NFTABLES} in its own process in its namespace ({@link NftDirector}: its
 * VRRP, table {@code netdev lbkit} and HTTP_GET checks live there); the real servers run
 * {@code busybox httpd}, shizune prepared by {@code DirectRoutingRealServer} (VIP on lo,
 * ARP sysctls), tenten by {@code RedirectRealServer} (the seed's redirect). It prints the
 * table in {@code ipvsadm -L -n} form, requests from the client alternating, shizune's web
 * server dying (weight 0, every request on tenten) and coming back. Every wait has a
 * deadline; {@link #close()} (also from a shutdown hook: Ctrl-C) stops the director and
 * the web servers and deletes the namespaces and the temporary directory.
 */
final class NftablesDemo implements AutoCloseable {
  static final String VIP = "192.168.0.200";
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration HEALTH = Duration.ofSeconds(20);
  private static final String[] OCTETS = {"10", "51", "61", "62"};

  private final PrintStream out;
  private final long t0 = System.nanoTime();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<AutoCloseable> prepared = new ArrayList<>();
  private final Process[] web = new Process[2];
  private volatile Lan lan;
  private volatile Path dir;
  private volatile Process director;
  private volatile boolean interrupted;

  private NftablesDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the timeline; returns the exit code. Cleans up on return, on error and on Ctrl-C. */
  static int run(PrintStream out, PrintStream err) throws Exception {
    NftablesDemo d = new NftablesDemo(out);
    Thread hook = new Thread(() -> {
      d.interrupted = true;
      d.close();
    }, "lbctl-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      d.play();
      return 0;
    } catch (LiveDemo.Timeout | IllegalStateException e) {
      if (!d.interrupted) {   // else the director was stopped by the same Ctrl-C: nothing to report
        err.println("lbctl demo: " + e.getMessage());
      }
      return 1;
    } finally {
      d.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        err.println("lbctl demo: interrupted, cleaned up");
      }
    }
  }

  private NetNs ns(int i) {
    return lan.member(i);
  }

  private void play() throws Exception {
    dir = Files.createTempDirectory("lbkit-demo-");
    lan = Lan.create(4);
    if (closed.get()) {
      lan.close();
      return;
    }
    for (int i = 0; i < 4; i++) {
      ns(i).addAddress("eth0", "192.168.0." + OCTETS[i] + "/24");
    }
    log("namespaces on one bridge: client " + ns(0).name() + " (192.168.0.10), director " + ns(1).name()
        + " (192.168.0.51), shizune " + ns(2).name() + " (192.168.0.61), tenten " + ns(3).name() + " (192.168.0.62)");
    prepared.add(DirectRoutingRealServer.prepare(NetlinkAddressManager.open(ns(2).name()),
        ProcSysctl.inNetns(ns(2).name()), List.of(Inet.parse(VIP)), "eth0"));
    prepared.add(RedirectRealServer.prepare(ns(3).name(), List.of(Inet.parse(VIP))));
    log("real servers prepared for DR: shizune with " + VIP + " on lo and arp_ignore/arp_announce,"
        + " tenten with the seed's redirect (table inet lbkit_rs)");
    startWeb(0, "shizune");
    startWeb(1, "tenten");
    log("busybox httpd serves /test.html on port 80 in shizune and tenten");

    Path conf = Files.writeString(dir.resolve("keepalived.conf"), conf());
    log("the director: the seed's keepalived.conf (timings shortened: delay_loop 1, connect_timeout 1,"
        + " retry 1, delay_before_retry 1) run by LoadBalancerRuntime on Dataplane.NFTABLES in " + ns(1).name());
    startDirector(conf);
    await("the VIP on the director and both real servers at weight 1", READY,
        () -> vipOnDirector() && weight("192.168.0.61") == 1 && weight("192.168.0.62") == 1);
    table("the director holds " + VIP + "; both real servers in rotation");
    requests(6);

    log("stopping shizune's web server (real server 192.168.0.61:80)");
    long stopped = System.nanoTime();
    web[0].destroy();
    web[0].waitFor(5, TimeUnit.SECONDS);
    await("weight 0 for 192.168.0.61:80", HEALTH, () -> weight("192.168.0.61") == 0);
    table(String.format("192.168.0.61 failed its check %.2f s after the stop: inhibit_on_failure, weight 0",
        (System.nanoTime() - stopped) / 1e9));
    requests(4);

    log("starting shizune's web server again");
    startWeb(0, "shizune");
    await("weight 1 for 192.168.0.61:80", HEALTH, () -> weight("192.168.0.61") == 1);
    table("192.168.0.61 answers again: back in rotation");
    requests(4);
    log("done; cleaning up");
  }

  /** The seed's corrected keepalived.conf (tools/e2e/seed-keepalived.conf), one director, short timings. */
  static String conf() {
    StringBuilder s = new StringBuilder("""
        vrrp_instance V_W {
            state MASTER
            interface eth0
            virtual_router_id 51
            priority 101
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            virtual_ipaddress {
                192.168.0.200
            }
        }
        virtual_server 192.168.0.200 80 {
            delay_loop 1
            lvs_sched rr
            lvs_method DR
            protocol TCP
        """);
    for (String rs : List.of("192.168.0.61", "192.168.0.62")) {
      s.append("    real_server ").append(rs).append(" 80 {\n").append("""
                  weight 1
                  inhibit_on_failure
                  HTTP_GET {
                      url {
                          path /test.html
                          status_code 200
                      }
                      connect_port 80
                      connect_timeout 1
                      retry 1
                      delay_before_retry 1
                  }
              }
          """);
    }
    return s.append("}\n").toString();
  }

  private void startWeb(int i, String name) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.writeString(root.resolve("test.html"), "<html> <body>\n" + name + " webserv\n</body> </html>\n");
    web[i] = ns(2 + i).start(dir.resolve(name + ".log"), "busybox", "httpd", "-f", "-p", "80", "-h", root.toString());
  }

  private void startDirector(Path conf) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder("ip", "netns", "exec", ns(1).name(), java, "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.log.io.lbkit=warn", "-cp", System.getProperty("java.class.path"),
        NftDirector.class.getName(), conf.toString()).redirectErrorStream(true).start();
    director = p;
    Thread relay = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!interrupted) {   // after Ctrl-C its namespace goes away under it: not worth showing
            log("  director | " + line);
          }
        }
      } catch (IOException e) {
        log("  director | (output ended: " + e.getMessage() + ")");
      }
    }, "lbctl-demo-director-output");
    relay.setDaemon(true);
    relay.start();
  }

  private boolean vipOnDirector() {
    if (director != null && !director.isAlive()) {
      throw new IllegalStateException("the director process exited with status " + director.exitValue());
    }
    return ns(1).exec("ip", "-o", "addr", "show", "dev", "eth0").stdout().contains(VIP + "/32");
  }

  /** The weight of real server {@code address}:80 in the director's table, or -1. */
  private int weight(String address) {
    try {
      for (ServiceSnapshot s : NftablesIpvs.read(ns(1).name())) {
        for (ServiceSnapshot.DestSnapshot d : s.dests()) {
          if (d.dest().key().equals(RealServerKey.of(address, 80))) {
            return d.dest().weight();
          }
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private synchronized void table(String why) throws IOException {
    log(why + ":");
    out.println("           # lbctl show --netns " + ns(1).name() + "   (ipvsadm -L -n form)");
    String listed = IpvsadmFormat.list(new IpvsInfo(0, 0), NftablesIpvs.read(ns(1).name()),
        IpvsadmFormat.View.DEFAULT, true);
    out.println("           nftables table netdev lbkit (lbkit dataplane, no IPVS)");
    for (String line : listed.substring(listed.indexOf('\n') + 1).split("\n")) {
      out.println("           " + line);
    }
  }

  /** {@code n} requests from the client to the VIP, one line each: who answered. */
  private void requests(int n) {
    StringBuilder who = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Exec.Result r = ns(0).exec("busybox", "timeout", "3", "busybox", "wget", "-q", "-O", "-",
          "http://" + VIP + "/test.html");
      String page = r.stdout();
      who.append(i == 0 ? "" : " ").append(page.contains("shizune") ? "shizune"
          : page.contains("tenten") ? "tenten" : "FAILED(" + r.exitCode() + ")");
    }
    log("client$ for i in $(seq " + n + "); do wget -qO- http://" + VIP + "/test.html; done  ->  " + who);
  }

  private synchronized void log(String what) {
    out.printf("[%6.2fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
    out.flush();
  }

  private static void await(String what, Duration deadline, LiveDemo.Check condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new LiveDemo.Timeout(what, deadline);
      }
      Thread.sleep(100);
    }
  }

  /** Stops the director (end of input, then SIGTERM, then SIGKILL) and the web servers, deletes it all; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Process p = director;
    if (p != null) {
      try {
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      } catch (IOException | InterruptedException e) {
        p.destroyForcibly();
      }
    }
    for (AutoCloseable c : interrupted ? List.<AutoCloseable>of() : prepared) {
      // on Ctrl-C the harness's own hook may be deleting the namespaces already: they take it all with them
      try {
        c.close();
      } catch (Exception e) {
        out.println("lbctl demo: undoing a real server's preparation: " + e.getMessage());
      }
    }
    List<String> names = new ArrayList<>();
    if (lan != null) {
      lan.members().forEach(m -> names.add(m.name()));
      names.add(lan.hub().name());
      lan.close();
    }
    deleteDir();
    log((interrupted ? "interrupted; " : "") + "cleaned up: director stopped, namespaces " + String.join(" ", names)
        + " deleted");
  }

  private void deleteDir() {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      out.println("lbctl demo: removing " + dir + ": " + e.getMessage());
    }
  }
}

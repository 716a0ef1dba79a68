package io.lbkit.examples.demo;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.harness.netns.Exec;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.nftables.NftablesIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code lbctl demo}: the seed scenario (keepalived LVS-DR, VIP 192.168.0.200:80, rr,
 * real servers .61 and .62 checked by HTTP_GET, VRRP between two directors) as a
 * timeline. Modes: {@code kernel} (root and IPVS: as netns, the Director programming
 * the kernel's IPVS in director-1's namespace), {@code netns} (root: VRRP on raw
 * sockets between namespaces it creates, VIPs by netlink, the fake IPVS),
 * {@code nftables} (root, no IPVS, nf_tables: {@link NftablesDemo}, the seed on lbkit's nftables
 * dataplane with a client, a director and two real servers in namespaces it creates),
 * {@code inprocess} (no root: VRRP on an in-memory link, the fake IPVS); all run real
 * HTTP_GET checks against two real local web servers. {@code fake} is the deterministic step-by-step on FakeIpvs alone.
 */
public final class Demo {
  /**
   * Runs the demo: {@code java -jar examples/target/lbkit-examples.jar [--mode inprocess|netns|kernel|fake]}.
   *
   * @param args the mode, if any
   * @throws Exception if the demo cannot run
   */
  public static void main(String[] args) throws Exception {
    System.exit(new Demo().run(java.util.Arrays.asList(args), System.out, System.err));
  }

  private static final String QUIET = "org.slf4j.simpleLogger.log.io.lbkit";

  String name() {
    return "demo";
  }

  String usage() {
    return "demo [--fake | --mode inprocess|netns|kernel|nftables|fake]";
  }

  String summary() {
    return "the seed scenario live: two VRRP directors, real health checks, the ipvsadm table, failover";
  }

  /** The seed director, as a user writes it. */
  static VirtualService seedDirector() {
    HttpCheck check = HttpCheck.get("/test.html").status(200);
    return VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check));
  }

  int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    String mode;
    if (args.isEmpty()) {
      mode = null;
    } else if (args.equals(List.of("--fake"))) {
      mode = "fake";
    } else if (args.size() == 2 && args.get(0).equals("--mode")
        && List.of("inprocess", "netns", "kernel", "nftables", "fake").contains(args.get(1))) {
      mode = args.get(1);
    } else {
      err.println("lbctl demo: unknown arguments " + args + "; usage: lbctl " + usage());
      return 2;
    }
    if (mode == null) {
      mode = pick(out);
    } else {
      out.println("lbkit demo, mode " + mode + " (as asked)");
    }
    if (!mode.equals("fake") && System.getProperty(QUIET) == null) {
      // the timeline says what lbkit's INFO log would; warnings and errors still show
      System.setProperty(QUIET, "warn");
    }
    switch (mode) {
      case "fake":
        return fake(out);
      case "nftables":
        if (!isRoot()) {
          err.println("lbctl demo: mode nftables needs root (it creates network namespaces and nf_tables tables)");
          return 2;
        }
        return NftablesDemo.run(out, err);
      case "netns":
      case "kernel":
        if (!isRoot()) {
          err.println("lbctl demo: mode " + mode + " needs root (it creates network namespaces and raw sockets)");
          return 2;
        }
        if (mode.equals("kernel") && !hasIpvs()) {
          err.println("lbctl demo: mode kernel needs a kernel with IPVS (/proc/net/ip_vs; modprobe ip_vs,"
              + " or run it in tools/kernel-vm/vm-run)");
          return 2;
        }
        boolean kernel = mode.equals("kernel");
        return LiveDemo.run(timers -> DemoDirectors.netns(kernel), out, err);
      default:
        return LiveDemo.run(DemoDirectors::inProcess, out, err);
    }
  }

  /** kernel or netns when root can create namespaces (kernel if it has IPVS), else in-process; says why. */
  private static String pick(PrintStream out) {
    if (!isRoot()) {
      out.println("lbkit demo, mode inprocess: not root, so both directors run in this JVM on FakeIpvs"
          + " (root gets network namespaces: IPVS, or nftables on a kernel without IPVS)");
      return "inprocess";
    }
    Exec.Result probe;
    try {
      probe = Exec.run(DemoNamespaces.DEADLINE, "ip", "netns", "list");
    } catch (UncheckedIOException e) {
      out.println("lbkit demo, mode inprocess: root, but no ip(8) to make network namespaces with");
      return "inprocess";
    }
    if (!probe.ok()) {
      out.println("lbkit demo, mode inprocess: root, but no network namespaces here (" + probe.describe() + ")");
      return "inprocess";
    }
    if (hasIpvs()) {
      out.println("lbkit demo, mode kernel: root and IPVS, so the directors run in network namespaces this demo"
          + " creates and deletes, VRRP on raw sockets, the Director programming IPVS in director-1's namespace");
      return "kernel";
    }
    String noNftables = nftablesUnusable();
    if (noNftables == null) {
      out.println("lbkit demo, mode nftables: root, no IPVS but nf_tables, so the seed runs for real on lbkit's"
          + " nftables dataplane in network namespaces this demo creates and deletes");
      return "nftables";
    }
    out.println("lbkit demo, mode netns: root but no IPVS, and " + noNftables + ", so VRRP runs between network"
        + " namespaces this demo creates and deletes, the table is lbkit's FakeIpvs");
    return "netns";
  }

  /** Null if the nftables demo can run here, else why not (no busybox, nf_tables refused in a scratch namespace). */
  static String nftablesUnusable() {
    if (!onPath("busybox")) {
      return "no busybox for the real servers' web servers (apt-get install busybox)";
    }
    try (NetNs probe = NetNs.create()) {
      NftablesIpvs.read(probe.name());
      return null;
    } catch (IOException | RuntimeException e) {
      return "nf_tables cannot be used (" + e.getMessage() + ")";
    }
  }

  private static boolean onPath(String program) {
    for (String d : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin").split(":")) {
      if (!d.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private static int fake(PrintStream out) throws IOException {
    out.println("lbkit demo: the seed's keepalived LVS-DR director, on lbkit's in-process fake kernel (FakeIpvs).");
    out.println();
    out.println("1. The director, in the fluent API:");
    out.println("     VirtualService.tcp(\"192.168.0.200\", 80).rr().dr()");
    out.println("         .add(RealServer.of(\"192.168.0.61\", 80).weight(1).inhibitOnFailure().check(http))");
    out.println("         .add(RealServer.of(\"192.168.0.62\", 80).weight(1).inhibitOnFailure().check(http))");
    FakeIpvs ipvs = new FakeIpvs();
    Director director = Director.create(ipvs);
    VirtualService web = seedDirector();
    out.println();
    out.println("2. The Director reconciles the kernel table to it (changes in ipvsadm syntax):");
    printOps(out, director.setServices(List.of(web)));
    table(out, ipvs);
    out.println();
    out.println("3. HTTP_GET /test.html on 192.168.0.61 fails (connection refused):");
    out.println("   inhibit_on_failure keeps it in the table at weight 0, so its connections drain.");
    printOps(out, director.onHealth(HealthEvent.down(web.key(), web.realServers().get(0).key(), "connection refused")));
    table(out, ipvs);
    out.println();
    out.println("4. It answers again; it returns to rotation:");
    printOps(out, director.onHealth(HealthEvent.up(web.key(), web.realServers().get(0).key(), "status 200")));
    out.println();
    out.println("5. A restart with the same configuration adopts the table: "
        + Director.create(ipvs).setServices(List.of(web)).applied().size() + " changes.");
    return 0;
  }

  private static void printOps(PrintStream out, Reconciliation r) {
    for (IpvsOp op : r.applied()) {
      out.println("     ipvsadm " + op);
    }
    for (var f : r.failed()) {
      out.println("     FAILED ipvsadm " + f.op() + ": " + f.error().getMessage());
    }
  }

  private static void table(PrintStream out, FakeIpvs ipvs) throws IOException {
    out.println("   # ipvsadm -L -n");
    for (String line : IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, false)
        .split("\n")) {
      out.println("   " + line);
    }
  }

  static boolean isRoot() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  static boolean hasIpvs() {
    return java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/ip_vs"));
  }
}

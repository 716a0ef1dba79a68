package io.lbkit.examples.lbctl;

import io.lbkit.api.Director;
import io.lbkit.api.HealthEvent;
import io.lbkit.api.IpvsOp;
import io.lbkit.api.IpvsadmFormat;
import io.lbkit.api.RealServer;
import io.lbkit.api.Reconciliation;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.testing.FakeIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lbctl demo}: the seed's director (keepalived LVS-DR, VIP 192.168.0.200:80,
 * rr, real servers .61 and .62 checked by HTTP_GET) built with the fluent API and
 * run against the in-process fake kernel, printing the ipvsadm table before and
 * after a real server fails.
 */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo";
  }

  @Override
  public String summary() {
    return "the seed's LVS-DR director (VIP 192.168.0.200, two real servers), step by step";
  }

  /** The seed director, as a user writes it. */
  static VirtualService seedDirector() {
    HttpCheck check = HttpCheck.get("/test.html").status(200);
    return VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check));
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    if (!args.isEmpty()) {
      err.println("lbctl demo: takes no arguments");
      return 2;
    }
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
}

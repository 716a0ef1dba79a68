package io.lbkit.cli;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.NetlinkIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lbctl apply FILE [--dry-run] [--netns NAME]}: reconciles the kernel's IPVS table
 * to the virtual servers of FILE with lbkit's {@link Director} (fewest changes; services
 * not in FILE are left alone) and prints each change in {@code ipvsadm -R} syntax. With
 * {@code --dry-run} the changes are computed against a copy of the kernel table and
 * nothing is applied. FILE is a keepalived.conf (its diagnostics are printed as
 * {@code lbctl check} prints them; errors stop the apply), or {@code builtin:seed}: the
 * seed director (VIP 192.168.0.200:80, rr, DR, real servers .61 and .62 with weight 1).
 * Health checks are not run: every real server is applied as up.
 */
final class ApplyCommand implements Command {
  static final String SEED = "builtin:seed";

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public String usage() {
    return "apply FILE [--dry-run] [--netns NAME]";
  }

  @Override
  public String summary() {
    return "reconcile kernel IPVS to a keepalived.conf's virtual servers with the fewest changes";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    IpvsOptions o = IpvsOptions.parse(args, List.of("--dry-run"));
    if (o.error != null || o.positional.size() != 1) {
      err.println("lbctl apply: " + (o.error != null ? o.error : "needs exactly one FILE") + "; usage: lbctl "
          + usage());
      return 2;
    }
    List<VirtualService> desired;
    if (o.positional.get(0).equals(SEED)) {
      desired = List.of(seedDirector());
    } else {
      io.lbkit.config.keepalived.KeepalivedConfig config = ConfigFiles.read(name(), o.positional.get(0),
          io.lbkit.config.keepalived.KeepalivedConfig.Options.defaults(), err);
      if (config == null) {
        return 2;
      }
      for (io.lbkit.config.keepalived.Diagnostic d : config.diagnostics()) {
        err.println(d.format());
      }
      if (config.hasErrors()) {
        err.println("lbctl apply: " + o.positional.get(0) + " has errors; nothing applied");
        return 1;
      }
      desired = config.spec().virtualServices();
    }
    boolean dryRun = o.flags.contains("--dry-run");
    try (NetlinkIpvs kernel = o.open(name(), err)) {
      if (kernel == null) {
        return 1;
      }
      Ipvs target = dryRun ? new DryRunIpvs(kernel) : kernel;
      Reconciliation r = Director.create(target).setServices(desired);
      for (IpvsOp op : r.applied()) {
        out.println(op);
      }
      for (BatchException.Failure f : r.failed()) {
        err.println("lbctl apply: FAILED " + f.op() + ": " + f.error().getMessage());
      }
      err.println("lbctl apply: " + r.applied().size() + " change(s)" + (dryRun ? " (dry run: nothing applied)" : "")
          + (r.failed().isEmpty() ? "" : ", " + r.failed().size() + " failed"));
      return r.failed().isEmpty() ? 0 : 1;
    } catch (KernelException e) {
      err.println("lbctl apply: " + e.getMessage());
      return 1;
    }
  }

  /** The seed director: VIP 192.168.0.200:80, rr, DR, real servers .61 and .62 with weight 1. */
  static VirtualService seedDirector() {
    HttpCheck check = HttpCheck.get("/test.html").status(200);
    return VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check));
  }
}

package io.lbkit.cli;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.nftables.NftablesIpvs;
import io.lbkit.runtime.Dataplane;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl apply FILE [--dry-run] [--netns NAME] [--dataplane ipvs|nftables|auto]}: reconciles the kernel's
 * IPVS table (or, on the nftables dataplane, lbkit's nftables table {@code inet lbkit}: explicit, or {@code auto}
 * on a kernel without IPVS; what nftables cannot do is a failed change naming the service and the reason)
 * to the virtual servers of FILE with lbkit's {@link Director} (fewest changes; services
 * not in FILE are left alone) and prints each change in {@code ipvsadm -R} syntax. With
 * {@code --dry-run} the changes are planned ({@link Director#plan}) against the kernel's
 * table, or an empty one if this kernel has no IPVS or lbctl may not read it (said in
 * one line on stderr), and nothing is applied. FILE is a keepalived.conf (its diagnostics are printed as
 * {@code lbctl check} prints them; errors stop the apply), or {@code builtin:seed}: the
 * seed director (VIP 192.168.0.200:80, rr, DR, real servers .61 and .62 with weight 1).
 * Health checks are not run: every real server is applied as up.
 */
@Command(name = "apply", sortOptions = false,
    description = {"Reconcile the kernel's IPVS table to a keepalived.conf's virtual servers with the fewest changes.",
        "Each change is printed in ipvsadm -R syntax; services not in FILE are left alone. Health checks are not run: "
            + "every real server is applied as up."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:applied (or planned)", "1:FILE has errors, no IPVS, or a change failed",
        "2:FILE cannot be read, or a usage error"})
final class ApplyCommand extends Subcommand {
  static final String SEED = "builtin:seed";

  @Parameters(paramLabel = "FILE",
      description = "A keepalived.conf, or builtin:seed (VIP 192.168.0.200:80 rr DR, real servers .61 and .62).")
  String file;

  @Option(names = "--dry-run", description = "Print the changes without applying them (planned against an empty "
      + "table if this kernel has no IPVS or it may not be read).")
  boolean dryRun;

  @Mixin IpvsOptions ipvsOptions;

  @Override
  public Integer call() throws IOException {
    List<VirtualService> desired;
    if (file.equals(SEED)) {
      desired = List.of(seedDirector());
    } else {
      KeepalivedConfig config = ConfigFiles.read(name(), file, ConfigFiles.once(), err());
      if (config == null) {
        return 2;
      }
      ConfigFiles.print(config.diagnostics(), err());
      if (config.hasErrors()) {
        err().println(name() + ": " + Text.safe(file) + " has errors; nothing applied");
        return 1;
      }
      desired = config.spec().virtualServices();
    }
    if (dryRun) {
      return plan(desired);
    }
    PrintStream out = out();
    PrintStream err = err();
    try (Ipvs kernel = ipvsOptions.open(name(), err)) {
      if (kernel == null) {
        return 1;
      }
      if (kernel instanceof NftablesIpvs) {
        err.println(name() + ": on the nftables dataplane (tables inet lbkit and netdev lbkit)");
      }
      Reconciliation r = Director.create(kernel).setServices(desired);
      for (IpvsOp op : r.applied()) {
        out.println(op);
      }
      for (BatchException.Failure f : r.failed()) {
        err.println(name() + ": FAILED " + f.op() + ": " + Text.safe(f.error().getMessage()));
      }
      err.println(name() + ": " + r.applied().size() + " change(s)"
          + (r.failed().isEmpty() ? "" : ", " + r.failed().size() + " failed"));
      return r.failed().isEmpty() ? 0 : 1;
    } catch (KernelException e) {
      err.println(name() + ": " + Text.safe(e.getMessage()));
      return 1;
    }
  }

  /** --dry-run: the changes against the kernel's table as it is (or an empty one), none applied. */
  private int plan(List<VirtualService> desired) throws IOException {
    List<ServiceSnapshot> current;
    try {
      Dataplane d = ipvsOptions.dataplane.resolve(ipvsOptions.netns);
      current = ipvsOptions.read(d);
      if (d == Dataplane.NFTABLES) {
        err().println(name() + ": planning on the nftables dataplane (tables inet lbkit and netdev lbkit)");
      }
    } catch (KernelException e) {
      boolean unreadable = IpvsOptions.notAvailable(e) || e.errno() == Errno.EPERM || e.errno() == Errno.EACCES;
      if (!unreadable) {
        err().println(name() + ": " + ipvsOptions.why(e));
        return 1;
      }
      err().println(name() + ": " + ipvsOptions.why(e) + "; planning against an empty IPVS table");
      current = List.of();
    } catch (IllegalArgumentException e) {
      err().println(name() + ": " + Text.safe(e.getMessage()));
      return 1;
    }
    List<IpvsOp> ops = Director.plan(current, desired, false);
    for (IpvsOp op : ops) {
      out().println(op);
    }
    err().println(name() + ": " + ops.size() + " change(s) (dry run: nothing applied)");
    return 0;
  }

  /** The seed director: VIP 192.168.0.200:80, rr, DR, real servers .61 and .62 with weight 1. */
  static VirtualService seedDirector() {
    HttpCheck check = HttpCheck.get("/test.html").status(200);
    return VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check));
  }
}

package io.lbkit.cli;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.testing.FakeIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Option(names = "--dry-run", description = "Print the changes without applying them.")
  boolean dryRun;

  @Mixin IpvsOptions ipvsOptions;

  @Override
  public Integer call() throws IOException {
    List<VirtualService> desired;
    if (file.equals(SEED)) {
      desired = List.of(seedDirector());
    } else {
      KeepalivedConfig config = ConfigFiles.read(name(), file, KeepalivedConfig.Options.defaults(), err());
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
    PrintStream out = out();
    PrintStream err = err();
    try (NetlinkIpvs kernel = ipvsOptions.open(name(), err)) {
      if (kernel == null) {
        return 1;
      }
      Ipvs target = dryRun ? copyOf(kernel) : kernel;
      Reconciliation r = Director.create(target).setServices(desired);
      for (IpvsOp op : r.applied()) {
        out.println(op);
      }
      for (BatchException.Failure f : r.failed()) {
        err.println(name() + ": FAILED " + f.op() + ": " + Text.safe(f.error().getMessage()));
      }
      err.println(name() + ": " + r.applied().size() + " change(s)" + (dryRun ? " (dry run: nothing applied)" : "")
          + (r.failed().isEmpty() ? "" : ", " + r.failed().size() + " failed"));
      return r.failed().isEmpty() ? 0 : 1;
    } catch (KernelException e) {
      err.println(name() + ": " + Text.safe(e.getMessage()));
      return 1;
    }
  }

  /** The kernel's table copied into an in-memory fake, for a dry run. */
  static FakeIpvs copyOf(Ipvs kernel) throws IOException {
    FakeIpvs copy = new FakeIpvs();
    for (ServiceSnapshot s : kernel.services()) {
      copy.addService(s.service());
      List<ServiceSnapshot.DestSnapshot> dests = s.dests();
      for (int i = dests.size() - 1; i >= 0; i--) { // listed newest first: add oldest first
        copy.addDest(s.key(), dests.get(i).dest());
      }
    }
    return copy;
  }

  /** The seed director: VIP 192.168.0.200:80, rr, DR, real servers .61 and .62 with weight 1. */
  static VirtualService seedDirector() {
    HttpCheck check = HttpCheck.get("/test.html").status(200);
    return VirtualService.tcp("192.168.0.200", 80).rr().dr()
        .add(RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure().check(check))
        .add(RealServer.of("192.168.0.62", 80).weight(1).inhibitOnFailure().check(check));
  }
}

package io.lbkit.cli;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.IpvsUnavailableException;
import io.lbkit.netlink.NetlinkIpvs;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** The option lbctl's IPVS commands share (a picocli mixin), and opening the kernel's IPVS with a clear message. */
final class IpvsOptions {
  @Option(names = "--netns", paramLabel = "NAME",
      description = "Use the IPVS table of the network namespace NAME (/run/netns/NAME). Default: this process's.")
  String netns;

  /**
   * Opens IPVS, or prints why not (no IPVS in this kernel, not permitted, no such
   * namespace) and returns null.
   */
  NetlinkIpvs open(String command, PrintStream err) throws IOException {
    try {
      return NetlinkIpvs.open(netns);
    } catch (KernelException e) {
      err.println(command + ": " + why(e));
      return null;
    } catch (IllegalArgumentException e) {
      err.println(command + ": " + Text.safe(e.getMessage()));
      return null;
    }
  }

  /** Why IPVS could not be opened, in one phrase. */
  String why(KernelException e) {
    if (e instanceof IpvsUnavailableException) {
      return NetlinkIpvs.NOT_AVAILABLE;
    } else if (e.errno() == Errno.ENOENT && netns != null) {
      return "no network namespace \"" + Text.safe(netns) + "\" (/run/netns/" + Text.safe(netns) + ")";
    }
    return Text.safe(e.getMessage());
  }

  /** True if this failure means "this kernel has no IPVS" (not a bad namespace or a refusal). */
  static boolean notAvailable(KernelException e) {
    return e instanceof IpvsUnavailableException;
  }
}

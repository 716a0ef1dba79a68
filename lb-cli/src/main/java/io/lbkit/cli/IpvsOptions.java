package io.lbkit.cli;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.IpvsUnavailableException;
import io.lbkit.netlink.NetlinkIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The options lbctl's IPVS commands share, and opening the kernel's IPVS with a clear message. */
final class IpvsOptions {
  final List<String> positional = new ArrayList<>();
  final List<String> flags = new ArrayList<>();
  String netns;
  String error;

  /** Parses {@code args}; {@code allowed} are the flags this command takes besides --netns. */
  static IpvsOptions parse(List<String> args, List<String> allowed) {
    IpvsOptions o = new IpvsOptions();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--netns")) {
        if (i + 1 >= args.size()) {
          o.error = "--netns needs a namespace name";
          return o;
        }
        o.netns = args.get(++i);
      } else if (a.startsWith("--netns=")) {
        o.netns = a.substring("--netns=".length());
      } else if (allowed.contains(a)) {
        o.flags.add(a);
      } else if (a.startsWith("-")) {
        o.error = "unknown option " + a;
        return o;
      } else {
        o.positional.add(a);
      }
    }
    return o;
  }

  /**
   * Opens IPVS, or prints why not (no IPVS in this kernel, not permitted, no such
   * namespace) and returns null.
   */
  NetlinkIpvs open(String command, PrintStream err) throws IOException {
    try {
      return NetlinkIpvs.open(netns);
    } catch (KernelException e) {
      if (e instanceof IpvsUnavailableException) {
        err.println("lbctl " + command + ": " + NetlinkIpvs.NOT_AVAILABLE);
      } else if (e.errno() == Errno.ENOENT && netns != null) {
        err.println("lbctl " + command + ": no network namespace \"" + netns + "\" (/run/netns/" + netns + ")");
      } else {
        err.println("lbctl " + command + ": " + e.getMessage());
      }
      return null;
    } catch (IllegalArgumentException e) {
      err.println("lbctl " + command + ": " + e.getMessage());
      return null;
    }
  }
}

package io.lbkit.cli;

import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.NetlinkIpvs;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lbctl show [--save] [--netns NAME]}: the kernel's IPVS table read over netlink
 * and printed byte for byte as {@code ipvsadm -L -n} (or, with {@code --save},
 * {@code ipvsadm -S -n}) prints it. Exit 1 when the kernel has no IPVS or refuses.
 */
final class ShowCommand implements Command {
  @Override
  public String name() {
    return "show";
  }

  @Override
  public String usage() {
    return "show [--save] [--netns NAME]";
  }

  @Override
  public String summary() {
    return "print the kernel's IPVS table as ipvsadm -L -n (or -S -n)";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    IpvsOptions o = IpvsOptions.parse(args, List.of("--save"));
    if (o.error != null || !o.positional.isEmpty()) {
      err.println("lbctl show: " + (o.error != null ? o.error : "unexpected argument " + o.positional.get(0))
          + "; usage: lbctl " + usage());
      return 2;
    }
    try (NetlinkIpvs ipvs = o.open(name(), err)) {
      if (ipvs == null) {
        return 1;
      }
      if (o.flags.contains("--save")) {
        out.print(IpvsadmFormat.save(ipvs.services(), true));
      } else {
        out.print(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true));
      }
      return 0;
    } catch (KernelException e) {
      err.println("lbctl show: " + e.getMessage());
      return 1;
    }
  }
}

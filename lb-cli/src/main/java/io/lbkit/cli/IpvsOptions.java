package io.lbkit.cli;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.IpvsUnavailableException;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.nftables.NftablesIpvs;
import io.lbkit.runtime.Dataplane;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options lbctl's IPVS commands share (a picocli mixin): the namespace and the
 * dataplane; opening the table with a clear message.
 */
final class IpvsOptions {
  @Option(names = "--netns", paramLabel = "NAME",
      description = "Use the table of the network namespace NAME (/run/netns/NAME). Default: this process's.")
  String netns;

  @Option(names = "--dataplane", paramLabel = "ipvs|nftables|auto", converter = Dataplanes.class,
      completionCandidates = Dataplanes.class,
      description = "ipvs: the kernel's IPVS table; nftables: lbkit's nftables tables (NAT in inet lbkit, "
          + "DR in netdev lbkit); auto: IPVS when the kernel has it, else nftables. Default: auto.")
  Dataplane dataplane = Dataplane.AUTO;

  /**
   * Opens the dataplane, or prints why not (no IPVS in this kernel, not permitted, no such
   * namespace) and returns null.
   */
  Ipvs open(String command, PrintStream err) throws IOException {
    try {
      return dataplane.open(netns);
    } catch (KernelException e) {
      err.println(command + ": " + why(e));
      return null;
    } catch (IllegalArgumentException e) {
      err.println(command + ": " + Text.safe(e.getMessage()));
      return null;
    }
  }

  /** IPVS or NFTABLES ({@code auto} decided by the kernel), or null after printing why not. */
  Dataplane resolve(String command, PrintStream err) throws IOException {
    try {
      return dataplane.resolve(netns);
    } catch (KernelException e) {
      err.println(command + ": " + why(e));
      return null;
    } catch (IllegalArgumentException e) {
      err.println(command + ": " + Text.safe(e.getMessage()));
      return null;
    }
  }

  /** The table of a resolved dataplane, read without changing anything (no nftables table: empty). */
  List<ServiceSnapshot> read(Dataplane resolved) throws IOException {
    if (resolved == Dataplane.NFTABLES) {
      return NftablesIpvs.read(netns);
    }
    try (NetlinkIpvs ipvs = NetlinkIpvs.open(netns)) {
      return ipvs.services();
    }
  }

  /** Why the dataplane could not be opened, in one phrase. */
  String why(KernelException e) {
    if (e instanceof IpvsUnavailableException) {
      return NetlinkIpvs.NOT_AVAILABLE + "; or use --dataplane nftables (or auto)";
    } else if (e.errno() == Errno.ENOENT && netns != null) {
      return "no network namespace \"" + Text.safe(netns) + "\" (/run/netns/" + Text.safe(netns) + ")";
    }
    return Text.safe(e.getMessage());
  }

  /** True if this failure means "this kernel has no IPVS" (not a bad namespace or a refusal). */
  static boolean notAvailable(KernelException e) {
    return e instanceof IpvsUnavailableException;
  }

  /** The dataplanes by their lower-case names, for {@code --dataplane} (lbctl run's too). */
  static final class Dataplanes implements ITypeConverter<Dataplane>, Iterable<String> {
    @Override
    public Dataplane convert(String value) {
      for (Dataplane d : Dataplane.values()) {
        if (d.name().equalsIgnoreCase(value)) {
          return d;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a dataplane; valid: " + String.join(", ", this));
    }

    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (Dataplane d : Dataplane.values()) {
        names.add(d.name().toLowerCase(Locale.ROOT));
      }
      return names.iterator();
    }
  }
}

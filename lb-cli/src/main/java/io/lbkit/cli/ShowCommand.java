package io.lbkit.cli;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.nftables.NftablesIpvs;
import io.lbkit.runtime.Dataplane;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lbctl show [--save | --view VIEW] [--netns NAME] [--dataplane ipvs|nftables|auto]}:
 * the kernel's IPVS table read over netlink and printed byte for byte as
 * {@code ipvsadm -L -n} (with a view: {@code --stats}, {@code --rate}...) or, with
 * {@code --save}, {@code ipvsadm -S -n} prints it. On the nftables dataplane (explicit,
 * or {@code auto} on a kernel without IPVS) lbkit's table {@code inet lbkit} is read
 * (without creating it: no table lists no services) and printed in the same form, except
 * that the first line, which names the IPVS version, is {@value #NFTABLES_HEADER}; with
 * {@code --stats} (or {@code --view stats}) its packet and byte counters are the nftables
 * table's (connection counts and rates are not kept there: 0). {@code --nft} prints the table
 * as {@code nft list table inet lbkit} does (see {@code NftList}). Exit 1 when the dataplane
 * cannot be read.
 */
@Command(name = "show", sortOptions = false,
    description = {"Print the kernel's IPVS table as ipvsadm -L -n prints it (or ipvsadm -S -n with --save)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "1:no IPVS in this kernel, no such namespace, or the kernel refused",
        "2:usage error"})
final class ShowCommand extends Subcommand {
  @Option(names = "--save", description = "Print rules to restore the table, as ipvsadm -S -n.")
  boolean save;

  @Option(names = "--view", paramLabel = "VIEW", converter = Views.class, completionCandidates = Views.class,
      description = "What to list: ${COMPLETION-CANDIDATES} (as ipvsadm -L -n --stats, --rate, --thresholds, "
          + "--persistent-conn, --tun-info). Default: default.")
  IpvsadmFormat.View view = IpvsadmFormat.View.DEFAULT;

  @Option(names = "--stats", description = "The counters, as ipvsadm -L -n --stats (the same as --view stats).")
  boolean stats;

  @Option(names = "--nft", description = "Print lbkit's nftables tables as nft list table inet lbkit and netdev lbkit print them.")
  boolean nft;

  @Mixin IpvsOptions ipvsOptions;

  /** The first line of the listing on the nftables dataplane, in place of ipvsadm's IPVS version line. */
  static final String NFTABLES_HEADER = "nftables table inet lbkit (lbkit dataplane, no IPVS)";

  @Override
  public Integer call() throws IOException {
    if (stats) {
      if (view != IpvsadmFormat.View.DEFAULT && view != IpvsadmFormat.View.STATS) {
        throw usage("--stats is --view stats: give one view");
      }
      view = IpvsadmFormat.View.STATS;
    }
    if (save && view != IpvsadmFormat.View.DEFAULT) {
      throw usage("--save prints rules, not a view: give --save or --view, not both");
    }
    if (nft && (save || view != IpvsadmFormat.View.DEFAULT)) {
      throw usage("--nft prints the nftables table as it is: give it alone");
    }
    if (nft) {
      NftList.Result r = NftList.list(ipvsOptions.netns);
      if (r.error() != null) {
        err().println(name() + ": " + r.error());
        return 1;
      }
      out().print(r.text());
      return 0;
    }
    try {
      Dataplane d = ipvsOptions.resolve(name(), err());
      if (d == null) {
        return 1;
      }
      if (d == Dataplane.NFTABLES) {
        List<ServiceSnapshot> services = NftablesIpvs.read(ipvsOptions.netns);
        out().print(save ? IpvsadmFormat.save(services, true) : nftablesList(services, view));
        return 0;
      }
      try (Ipvs ipvs = ipvsOptions.open(name(), err())) {
        if (ipvs == null) {
          return 1;
        }
        if (save) {
          out().print(IpvsadmFormat.save(ipvs.services(), true));
        } else {
          out().print(IpvsadmFormat.list(ipvs.info(), ipvs.services(), view, true));
        }
        return 0;
      }
    } catch (KernelException e) {
      err().println(name() + ": " + ipvsOptions.why(e));
      return 1;
    }
  }

  /** ipvsadm -L -n's form with {@link #NFTABLES_HEADER} as its first line. */
  static String nftablesList(List<ServiceSnapshot> services, IpvsadmFormat.View view) {
    String listed = IpvsadmFormat.list(new IpvsInfo(0, 0), services, view, true);
    return NFTABLES_HEADER + listed.substring(listed.indexOf('\n'));
  }

  /** The views by their ipvsadm option names (persistent-conn for PERSISTENT_CONN). */
  static final class Views implements ITypeConverter<IpvsadmFormat.View>, Iterable<String> {
    static String nameOf(IpvsadmFormat.View v) {
      return v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public IpvsadmFormat.View convert(String value) {
      for (IpvsadmFormat.View v : IpvsadmFormat.View.values()) {
        if (nameOf(v).equals(value.toLowerCase(Locale.ROOT))) {
          return v;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a view; valid: " + String.join(", ", this));
    }

    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (IpvsadmFormat.View v : IpvsadmFormat.View.values()) {
        names.add(nameOf(v));
      }
      return names.iterator();
    }
  }
}

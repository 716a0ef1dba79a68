package io.lbkit.cli;

import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.NetlinkIpvs;
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
 * {@code lbctl show [--save | --view VIEW] [--netns NAME]}: the kernel's IPVS table read
 * over netlink and printed byte for byte as {@code ipvsadm -L -n} (with a view:
 * {@code --stats}, {@code --rate}...) or, with {@code --save}, {@code ipvsadm -S -n}
 * prints it. Exit 1 when the kernel has no IPVS or refuses.
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

  @Mixin IpvsOptions ipvsOptions;

  @Override
  public Integer call() throws IOException {
    if (save && view != IpvsadmFormat.View.DEFAULT) {
      throw usage("--save prints rules, not a view: give --save or --view, not both");
    }
    try (NetlinkIpvs ipvs = ipvsOptions.open(name(), err())) {
      if (ipvs == null) {
        return 1;
      }
      if (save) {
        out().print(IpvsadmFormat.save(ipvs.services(), true));
      } else {
        out().print(IpvsadmFormat.list(ipvs.info(), ipvs.services(), view, true));
      }
      return 0;
    } catch (KernelException e) {
      err().println(name() + ": " + Text.safe(e.getMessage()));
      return 1;
    }
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

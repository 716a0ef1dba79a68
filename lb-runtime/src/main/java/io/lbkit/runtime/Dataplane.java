package io.lbkit.runtime;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.netlink.IpvsUnavailableException;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.nftables.NftablesIpvs;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What forwards the virtual servers' traffic: the kernel's IPVS, or lb-nftables' NAT
 * load balancing on nf_tables (table {@code inet lbkit}) for kernels without IPVS. The
 * same spec runs on either; what nftables cannot do (lc, wlc..., TUN, persistence of NAT services)
 * is refused per virtual server with EOPNOTSUPP naming it and the reason, and the
 * runtime reports it as a failed change.
 *
 * <pre>{@code
 * LoadBalancerRuntime.builder().dataplane(Dataplane.NFTABLES).start(spec);
 * try (Ipvs table = Dataplane.AUTO.open(null)) { ... }   // IPVS if the kernel has it
 * }</pre>
 */
public enum Dataplane {
  /** The kernel's IP Virtual Server (lb-netlink's {@code NetlinkIpvs}). */
  IPVS,
  /** NAT load balancing on nf_tables (lb-nftables' {@code NftablesIpvs}, table {@code inet lbkit}). */
  NFTABLES,
  /** IPVS when the kernel has it, else nftables (decided when the dataplane is opened). */
  AUTO;

  /**
   * The logger, in a holder: the enum's own initialisation (a default value such as {@code AUTO}, read at a command's
   * first line) then does not initialise the logging binding (slf4j-simple's ~40 ms: properties, its date format).
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Dataplane.class);
  }

  /**
   * Opens this dataplane in the named network namespace ({@code /run/netns/NAME}; null:
   * the current one). AUTO opens IPVS, and nftables only when the kernel has no IPVS
   * ({@link IpvsUnavailableException}); any other failure (a missing namespace, not
   * permitted) is thrown as it is.
   */
  public Ipvs open(String netns) throws IOException {
    return switch (this) {
      case IPVS -> NetlinkIpvs.open(netns);
      case NFTABLES -> NftablesIpvs.open(netns);
      case AUTO -> {
        try {
          yield NetlinkIpvs.open(netns);
        } catch (IpvsUnavailableException e) {
          Log.LOG.info("no IPVS in this kernel: using the nftables dataplane (table inet lbkit)");
          yield NftablesIpvs.open(netns);
        }
      }
    };
  }

  /**
   * IPVS or NFTABLES: this one, or for AUTO the one {@link #open} would open, found by
   * opening IPVS and closing it again.
   */
  public Dataplane resolve(String netns) throws IOException {
    if (this != AUTO) {
      return this;
    }
    try (NetlinkIpvs probe = NetlinkIpvs.open(netns)) {
      return IPVS;
    } catch (IpvsUnavailableException e) {
      return NFTABLES;
    }
  }

  /** The dataplane of an opened table: NFTABLES for lb-nftables' adapter, else IPVS. */
  static Dataplane of(Ipvs table) {
    return table instanceof NftablesIpvs ? NFTABLES : IPVS;
  }
}

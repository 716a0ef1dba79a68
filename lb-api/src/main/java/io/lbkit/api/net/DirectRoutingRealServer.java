package io.lbkit.api.net;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The real-server side of LVS-DR (the seed's step 3): a real server must accept
 * packets addressed to the VIP — the director forwards them unchanged — without ever
 * answering ARP for it, or clients would bypass the director. This puts each VIP on
 * the loopback device as a /32 (/128) and sets {@code arp_ignore=1} (answer ARP only
 * for addresses of the receiving interface) and {@code arp_announce=2} (never
 * announce the VIP as a source) on {@code all} and the serving interface. The seed
 * did the same with an iptables {@code REDIRECT} rule instead; that method is lb-nftables'
 * {@code io.lbkit.nftables.RedirectRealServer} (an nftables redirect of the VIP's packets:
 * no VIP on lo, no ARP sysctls, the same undo). {@link Prepared#undo()}
 * restores every previous value and removes the VIPs it added.
 *
 * <pre>{@code
 * try (DirectRoutingRealServer.Prepared p = DirectRoutingRealServer.prepare(
 *     NetlinkAddressManager.open(), ProcSysctl.host(), List.of(vip), "eth0")) {
 *   ... serve ...
 * }
 * }</pre>
 */
public final class DirectRoutingRealServer {
  private DirectRoutingRealServer() {}

  /** What prepare changed, to undo it. */
  public static final class Prepared implements AutoCloseable {
    private final AddressManager addresses;
    private final Sysctl sysctl;
    private final Map<String, String> previous;
    private final List<IfAddress> added;
    private boolean undone;

    private Prepared(AddressManager addresses, Sysctl sysctl, Map<String, String> previous, List<IfAddress> added) {
      this.addresses = addresses;
      this.sysctl = sysctl;
      this.previous = previous;
      this.added = added;
    }

    /** The sysctl values before prepare, by name. */
    public Map<String, String> previousValues() {
      return Map.copyOf(previous);
    }

    /** The VIPs prepare added to lo (those already there are not listed and stay). */
    public List<IfAddress> addedAddresses() {
      return List.copyOf(added);
    }

    /** Restores the sysctls and removes the VIPs that prepare added; idempotent. */
    public synchronized void undo() throws IOException {
      if (undone) {
        return;
      }
      undone = true;
      IOException first = null;
      for (IfAddress a : added) {
        try {
          addresses.remove("lo", a);
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      for (Map.Entry<String, String> e : previous.entrySet()) {
        try {
          sysctl.write(e.getKey(), e.getValue());
        } catch (IOException ex) {
          first = first == null ? ex : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }

    /** Same as {@link #undo()}. */
    @Override
    public void close() throws IOException {
      undo();
    }
  }

  /**
   * Prepares this host to serve the VIPs by direct routing.
   *
   * @param addresses where the VIPs go (on {@code lo})
   * @param sysctl the kernel parameters
   * @param vips the virtual addresses
   * @param servingInterface the interface facing the director ({@code eth0})
   * @throws IOException if a change fails; what was changed before is undone
   */
  public static Prepared prepare(AddressManager addresses, Sysctl sysctl, List<InetAddress> vips,
      String servingInterface) throws IOException {
    Objects.requireNonNull(servingInterface, "serving interface");
    if (vips.isEmpty()) {
      throw new IllegalArgumentException("no VIP to prepare for");
    }
    Map<String, String> previous = new LinkedHashMap<>();
    List<IfAddress> added = new ArrayList<>();
    Prepared p = new Prepared(addresses, sysctl, previous, added);
    try {
      boolean v4 = vips.stream().anyMatch(a -> Family.of(a) == Family.INET);
      if (v4) {
        for (String dev : List.of("all", servingInterface)) {
          set(sysctl, previous, "net.ipv4.conf." + dev + ".arp_ignore", "1");
          set(sysctl, previous, "net.ipv4.conf." + dev + ".arp_announce", "2");
        }
      }
      for (InetAddress vip : vips) {
        IfAddress a = IfAddress.vip(vip).withScope(IfAddress.SCOPE_HOST);
        if (addresses.add("lo", a) == AddressManager.Change.DONE) {
          added.add(a);
        }
      }
      return p;
    } catch (IOException | RuntimeException e) {
      try {
        p.undo();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void set(Sysctl sysctl, Map<String, String> previous, String name, String value) throws IOException {
    String old = sysctl.read(name);
    if (!previous.containsKey(name)) {
      previous.put(name, old);
    }
    if (!old.equals(value)) {
      sysctl.write(name, value);
    }
  }

  /** For messages: {@code 192.168.0.200/32 on lo}. */
  static String describe(InetAddress vip) {
    return Inet.format(vip) + " on lo";
  }
}

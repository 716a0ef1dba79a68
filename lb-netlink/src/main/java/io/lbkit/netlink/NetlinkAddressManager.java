package io.lbkit.netlink;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.rtnl.Address;
import io.lbkit.netlink.rtnl.Link;
import io.lbkit.netlink.rtnl.Rtnl;
import io.lbkit.netlink.rtnl.RtnlCodec;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * lb-api's {@link AddressManager} over rtnetlink, plus the links the addresses live on:
 * what keepalived does with {@code virtual_ipaddress}. Adding a VIP that is already there
 * (EEXIST) or removing one that is gone (EADDRNOTAVAIL) is {@link Change#ALREADY}, a state
 * to reconcile; every other refusal is a {@link io.lbkit.api.kernel.KernelException} naming the
 * operation and errno, e.g. {@code rtnetlink get link eth9: ENODEV (No such device)}.
 *
 * <pre>{@code
 * try (NetlinkAddressManager addrs = NetlinkAddressManager.open()) {
 *   addrs.add("eth0", IfAddress.vip(Inet.parse("192.168.0.200")));   // /32
 *   addrs.add("eth0", IfAddress.parse("2001:db8::200"));               // /128, no DAD
 *   boolean tracked = addrs.link("eth0").isRunning();
 * }
 * }</pre>
 *
 * <p>Interface names are looked up on every call (an interface re-created by the
 * administrator gets a new index). Thread-safe: calls are serialised on one socket.
 * Changes made by others are reported by {@link LinkMonitor}.
 */
public final class NetlinkAddressManager implements AddressManager, Closeable {
  private final RtnlClient client;

  private NetlinkAddressManager(RtnlClient client) {
    this.client = client;
  }

  /** Opens one in the current network namespace. */
  public static NetlinkAddressManager open() throws IOException {
    return open(null);
  }

  /** Opens one in the named network namespace ({@code /run/netns/NAME}); null: the current one. */
  public static NetlinkAddressManager open(String netns) throws IOException {
    return new NetlinkAddressManager(RtnlClient.open(netns));
  }

  /** One over an already open NETLINK_ROUTE socket (a fake kernel in tests). */
  static NetlinkAddressManager over(NetlinkSocket socket) {
    return new NetlinkAddressManager(RtnlClient.over(socket));
  }

  /** The interface called {@code name}: index, state, flags, MTU, MAC. ENODEV if none. */
  public synchronized Link link(String name) throws IOException {
    return client.link(name);
  }

  /** The interface with {@code index}. ENODEV if none. */
  public synchronized Link link(int index) throws IOException {
    return client.link(index);
  }

  /** Every interface. */
  public synchronized List<Link> links() throws IOException {
    return client.links();
  }

  /** Sets an interface administratively up or down ({@code ip link set NAME up|down}). */
  public synchronized void setUp(String name, boolean up) throws IOException {
    int index = client.link(name).index();
    client.request(w -> RtnlCodec.setLinkUp(w, index, up), Subject.OTHER,
        "rtnetlink set link " + name + (up ? " up" : " down"));
  }

  /**
   * The addresses on {@code interfaceName}, in the kernel's order. An IPv4 label equal to
   * the interface's name (the kernel's default) is reported as no label.
   */
  @Override
  public synchronized List<IfAddress> addresses(String interfaceName) throws IOException {
    List<IfAddress> out = new ArrayList<>();
    for (Address a : details(interfaceName)) {
      IfAddress ifa = a.address();
      out.add(interfaceName.equals(ifa.label()) ? ifa.withLabel(null) : ifa);
    }
    return out;
  }

  /** The addresses on {@code interfaceName} with the kernel's flags and lifetimes. */
  public synchronized List<Address> details(String interfaceName) throws IOException {
    int index = client.link(interfaceName).index();
    List<Address> all = client.dump(w -> RtnlCodec.dumpAddresses(w, null), "rtnetlink dump addresses",
        (b, off, len) -> (b.getShort(off + 4) & 0xffff) == Rtnl.RTM_NEWADDR ? RtnlCodec.decodeAddress(b, off, len)
            : null);
    List<Address> mine = new ArrayList<>();
    for (Address a : all) {
      if (a.ifIndex() == index) {
        mine.add(a);
      }
    }
    return mine;
  }

  @Override
  public synchronized Change add(String interfaceName, IfAddress address) throws IOException {
    int index = client.link(interfaceName).index();
    return client.change(w -> RtnlCodec.newAddress(w, index, address),
        "rtnetlink add address " + address + " on " + interfaceName, Errno.EEXIST);
  }

  @Override
  public synchronized Change remove(String interfaceName, IfAddress address) throws IOException {
    int index = client.link(interfaceName).index();
    return client.change(w -> RtnlCodec.deleteAddress(w, index, address),
        "rtnetlink delete address " + address + " on " + interfaceName, Errno.EADDRNOTAVAIL);
  }

  /** Closes the socket. */
  @Override
  public synchronized void close() throws IOException {
    client.close();
  }
}

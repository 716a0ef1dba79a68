package io.lbkit.harness.netns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * N namespaces on one Ethernet segment: a hub namespace holds bridge {@code br0}, and each
 * member namespace has an {@code eth0} (up) whose veth peer {@code pI} is a port of that
 * bridge. The shape of two VRRP routers and a client, or a director and its real servers.
 *
 * <pre>{@code
 * try (Lan lan = Lan.create(3, "10.9.0.0/24")) {      // members get 10.9.0.1/24 .. 10.9.0.3/24
 *   NetNs router1 = lan.member(0);
 *   router1.run("busybox", "ping", "-c", "1", "-W", "2", lan.address(2));
 * }
 * }</pre>
 *
 * <p>{@link #close()} deletes the members and the hub (and so every interface and process
 * in them). Member interface names never exist on the host.
 */
public final class Lan implements AutoCloseable {
  /** The bridge's name in the hub namespace. */
  public static final String BRIDGE = "br0";
  /** Each member's interface onto the segment. */
  public static final String MEMBER_IF = "eth0";

  private final NetNs hub;
  private final List<NetNs> members;
  private final List<String> addresses;
  private final int prefix;

  private Lan(NetNs hub, List<NetNs> members, List<String> addresses, int prefix) {
    this.hub = hub;
    this.members = members;
    this.addresses = addresses;
    this.prefix = prefix;
  }

  /** {@code n} members (1-50) on one bridge, without addresses. */
  public static Lan create(int n) {
    return create(n, null);
  }

  /**
   * {@code n} members (1-50) on one bridge; with an IPv4 {@code subnet} such as
   * {@code 10.9.0.0/24}, member {@code i} gets host address {@code i + 1} of it on {@code eth0}.
   */
  public static Lan create(int n, String subnet) {
    if (n < 1 || n > 50) {
      throw new IllegalArgumentException("a Lan has 1-50 members: " + n);
    }
    int prefix = 0;
    int base = 0;
    if (subnet != null) {
      int slash = subnet.indexOf('/');
      InetAddress a;
      try {
        a = slash < 0 ? null : InetAddress.getByName(subnet.substring(0, slash));
        prefix = Integer.parseInt(subnet.substring(slash + 1));
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 subnet like 10.9.0.0/24: \"" + subnet + "\"", e);
      }
      if (!(a instanceof Inet4Address) || prefix < 8 || prefix > 30 || (1L << (32 - prefix)) - 2 < n) {
        throw new IllegalArgumentException("subnet " + subnet + " cannot hold " + n + " members (IPv4, /8-/30)");
      }
      base = ByteBuffer.wrap(a.getAddress()).getInt();
    }
    NetNs hub = NetNs.create();
    List<NetNs> members = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    try {
      hub.addBridge(BRIDGE);
      for (int i = 0; i < n; i++) {
        NetNs m = NetNs.create();
        members.add(m);
        String port = "p" + i;
        NetNs.veth(hub, port, m, MEMBER_IF);
        hub.ip("link", "set", port, "master", BRIDGE);
        if (subnet != null) {
          String addr = ipv4(base + i + 1);
          m.addAddress(MEMBER_IF, addr + "/" + prefix);
          addresses.add(addr);
        }
      }
    } catch (RuntimeException e) {
      members.forEach(NetNs::close);
      hub.close();
      throw e;
    }
    return new Lan(hub, List.copyOf(members), List.copyOf(addresses), prefix);
  }

  /** Member {@code i} (0-based). */
  public NetNs member(int i) {
    return members.get(i);
  }

  /** All members, in order. */
  public List<NetNs> members() {
    return members;
  }

  /** The hub namespace holding {@link #BRIDGE} (e.g. to capture traffic on it). */
  public NetNs hub() {
    return hub;
  }

  /**
   * Member {@code i}'s IPv4 address ({@code 10.9.0.1}) on {@code eth0}.
   *
   * @throws IllegalStateException if the Lan was created without a subnet
   */
  public String address(int i) {
    if (addresses.isEmpty()) {
      throw new IllegalStateException("this Lan was created without a subnet");
    }
    return addresses.get(i);
  }

  /** The prefix length of the members' addresses (0 without a subnet). */
  public int prefixLength() {
    return prefix;
  }

  /** Deletes every member and the hub. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (NetNs m : members) {
      try {
        m.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    hub.close();
    if (first != null) {
      throw first;
    }
  }

  private static String ipv4(int v) {
    return (v >>> 24) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
  }
}

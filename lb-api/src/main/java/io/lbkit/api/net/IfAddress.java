package io.lbkit.api.net;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address on an interface, as {@code ip addr} shows it.
 *
 * @param address the address
 * @param prefixLength prefix length (32 / 128 for a VIP)
 * @param label IPv4 label ({@code eth0:vip}), or null
 * @param scope RT_SCOPE_* value: 0 global, 253 link, 254 host
 * @param broadcast IPv4 broadcast, or null
 * @param noDad IPv6: skip duplicate address detection (IFA_F_NODAD), as a VIP needs
 */
public record IfAddress(InetAddress address, int prefixLength, String label, int scope, InetAddress broadcast,
    boolean noDad) {

  /** RT_SCOPE_UNIVERSE. */
  public static final int SCOPE_GLOBAL = 0;
  /** RT_SCOPE_LINK. */
  public static final int SCOPE_LINK = 253;
  /** RT_SCOPE_HOST. */
  public static final int SCOPE_HOST = 254;

  /** Validates. */
  public IfAddress {
    Objects.requireNonNull(address, "address");
    int bits = Family.of(address).bits();
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length of " + Inet.format(address) + " out of range 0-" + bits
          + ": " + prefixLength);
    }
    if (scope < 0 || scope > 255) {
      throw new IllegalArgumentException("scope out of range 0-255: " + scope);
    }
    if (label != null && (label.isEmpty() || label.length() > 15)) {
      throw new IllegalArgumentException("address label must be 1-15 characters: \"" + label + "\"");
    }
  }

  /** A host address (/32 or /128) with global scope; IPv6 without DAD. A VIP. */
  public static IfAddress vip(InetAddress address) {
    boolean v6 = Family.of(address) == Family.INET6;
    return new IfAddress(address, v6 ? 128 : 32, null, SCOPE_GLOBAL, null, v6);
  }

  /** Parses {@code 192.168.0.200}, {@code 192.168.0.200/24} or {@code 2001:db8::1/64}. */
  public static IfAddress parse(String cidr) {
    int slash = cidr.indexOf('/');
    InetAddress a = Inet.parse(slash < 0 ? cidr : cidr.substring(0, slash));
    if (slash < 0) {
      return vip(a);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid prefix length in \"" + cidr + "\"", e);
    }
    return new IfAddress(a, prefix, null, SCOPE_GLOBAL, null, Family.of(a) == Family.INET6);
  }

  /** The family. */
  public Family family() {
    return Family.of(address);
  }

  /** With a label. */
  public IfAddress withLabel(String l) {
    return new IfAddress(address, prefixLength, l, scope, broadcast, noDad);
  }

  /** With a scope. */
  public IfAddress withScope(int s) {
    return new IfAddress(address, prefixLength, label, s, broadcast, noDad);
  }

  /** With a broadcast address. */
  public IfAddress withBroadcast(InetAddress b) {
    return new IfAddress(address, prefixLength, label, scope, b, noDad);
  }

  /** {@code 192.168.0.200/32}. */
  @Override
  public String toString() {
    return Inet.format(address) + "/" + prefixLength + (label != null ? " label " + label : "");
  }
}

package io.lbkit.api.vrrp;

import io.lbkit.api.net.IfAddress;
import java.util.Objects;

/**
 * One entry of keepalived's virtual_ipaddress: an address, optionally on another
 * device than the instance's interface.
 *
 * @param address address, prefix, label, scope, broadcast
 * @param interfaceName device (dev), or null for the instance's interface
 */
public record VirtualAddress(IfAddress address, String interfaceName) {
  /** Validates. */
  public VirtualAddress {
    Objects.requireNonNull(address, "address");
  }

  /** A VIP on the instance's interface: {@code 192.168.0.200} or {@code 10.0.0.1/24}. */
  public static VirtualAddress of(String cidr) {
    return new VirtualAddress(IfAddress.parse(cidr), null);
  }
}

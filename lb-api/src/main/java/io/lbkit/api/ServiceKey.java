package io.lbkit.api;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies an IPVS virtual service in the kernel: protocol + address + port,
 * or a firewall mark + address family.
 */
public sealed interface ServiceKey extends Comparable<ServiceKey> permits ServiceKey.Inet, ServiceKey.Fwmark {

  /** The address family of the service. */
  Family family();

  /** {@code TCP 192.168.0.200:80} or {@code FWM 7} / {@code FWM 8 IPv6}. */
  @Override
  String toString();

  /** A service on protocol, address and port. */
  static ServiceKey of(Protocol protocol, InetAddress address, int port) {
    return new Inet(protocol, address, port);
  }

  /** A firewall-mark service. */
  static ServiceKey fwmark(int mark, Family family) {
    return new Fwmark(mark, family);
  }

  /** Orders services as ipvsadm sorts them: fwmark services after address ones, then by family, protocol, address, port. */
  @Override
  default int compareTo(ServiceKey o) {
    return Keys.compare(this, o);
  }

  /**
   * A protocol/address/port service.
   *
   * @param protocol TCP, UDP or SCTP
   * @param address the virtual IP
   * @param port 1-65535, or 0 for a persistent all-ports service
   */
  record Inet(Protocol protocol, InetAddress address, int port) implements ServiceKey {
    /** Validates the values. */
    public Inet {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(address, "address");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("virtual service port out of range 0-65535: " + port);
      }
    }

    @Override
    public Family family() {
      return Family.of(address);
    }

    @Override
    public String toString() {
      String a = io.lbkit.api.net.Inet.format(address);
      return protocol + " " + (family() == Family.INET6 ? "[" + a + "]" : a) + ":" + port;
    }
  }

  /**
   * A firewall-mark service.
   *
   * @param mark the mark, 1 or more (as an unsigned 32-bit value)
   * @param family which family's packets with that mark it takes
   */
  record Fwmark(int mark, Family family) implements ServiceKey {
    /** Validates the values. */
    public Fwmark {
      if (mark == 0) {
        throw new IllegalArgumentException("firewall mark must be non-zero");
      }
      Objects.requireNonNull(family, "family");
    }

    @Override
    public String toString() {
      return "FWM " + Integer.toUnsignedString(mark) + (family == Family.INET6 ? " IPv6" : "");
    }
  }
}

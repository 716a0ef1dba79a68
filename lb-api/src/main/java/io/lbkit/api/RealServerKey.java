package io.lbkit.api;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a real server (an IPVS destination) within one virtual service.
 *
 * @param address the real server's address
 * @param port its port (0 for fwmark and all-ports services)
 */
public record RealServerKey(InetAddress address, int port) implements Comparable<RealServerKey> {
  /** Validates the values. */
  public RealServerKey {
    Objects.requireNonNull(address, "real server address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("real server port out of range 0-65535: " + port);
    }
  }

  /** Parses an address literal. */
  public static RealServerKey of(String address, int port) {
    return new RealServerKey(Inet.parse(address), port);
  }

  /**
   * The record's equality (address and port), written out: the generated one goes through a
   * method handle that C1, which compiles lbctl, runs several times slower, and a large
   * configuration compares keys for each real server.
   */
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof RealServerKey k && port == k.port && address.equals(k.address));
  }

  /** The record's hash code ({@code 31 * address.hashCode() + port}), written out like {@link #equals}. */
  @Override
  public int hashCode() {
    return 31 * address.hashCode() + port;
  }

  /** Orders by address (unsigned), then port, as ipvsadm sorts destinations. */
  @Override
  public int compareTo(RealServerKey o) {
    int c = Inet.compare(address, o.address);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  /** {@code 192.168.0.61:80} or {@code [2001:db8::2]:80}. */
  @Override
  public String toString() {
    String a = Inet.format(address);
    return (address instanceof java.net.Inet6Address ? "[" + a + "]" : a) + ":" + port;
  }
}

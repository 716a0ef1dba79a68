package io.lbkit.api;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Address family, with the Linux AF_* number. */
public enum Family {
  /** IPv4, AF_INET = 2. */
  INET(2, 32),
  /** IPv6, AF_INET6 = 10. */
  INET6(10, 128);

  private final int number;
  private final int bits;

  Family(int number, int bits) {
    this.number = number;
    this.bits = bits;
  }

  /** The Linux AF_* value. */
  public int number() {
    return number;
  }

  /** Address length in bits (32 or 128). */
  public int bits() {
    return bits;
  }

  /** The family of an address. */
  public static Family of(InetAddress address) {
    return address instanceof Inet4Address ? INET : INET6;
  }

  /**
   * The family with this AF_* number.
   *
   * @throws IllegalArgumentException for anything but AF_INET and AF_INET6
   */
  public static Family ofNumber(int number) {
    if (number == INET.number) {
      return INET;
    }
    if (number == INET6.number) {
      return INET6;
    }
    throw new IllegalArgumentException("not an IP address family: " + number);
  }
}

package io.lbkit.netlink.raw;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * The bytes of address announcements, pure functions:
 * <ul>
 *   <li>a gratuitous ARP (RFC 5227 announcement as keepalived sends it: an ARP request
 *       whose sender and target IP are the address, target hardware address broadcast);</li>
 *   <li>an unsolicited neighbour advertisement (RFC 4861 7.2.6): IPv6 header to ff02::1
 *       with hop limit 255, ICMPv6 type 136 with the Override flag and the
 *       target link-layer address option.</li>
 * </ul>
 */
public final class Announcements {
  /** Ethertype of ARP. */
  public static final int ETH_P_ARP = 0x0806;
  /** Ethertype of IPv6. */
  public static final int ETH_P_IPV6 = 0x86dd;
  private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

  private Announcements() {}

  /** The 28-byte ARP payload announcing {@code ip} at {@code mac}. */
  public static byte[] gratuitousArp(byte[] mac, Inet4Address ip) {
    checkMac(mac);
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
    b.put(mac).put(ip.getAddress());
    b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(ip.getAddress());
    return b.array();
  }

  /** The Ethernet destination of an unsolicited NA: 33:33:00:00:00:01. */
  public static byte[] allNodesMac() {
    return new byte[] {0x33, 0x33, 0, 0, 0, 1};
  }

  /**
   * The IPv6 packet (header and ICMPv6, 72 bytes) advertising {@code target} at {@code mac},
   * sent from {@code source} (the interface's link-local address) to ff02::1.
   */
  public static byte[] unsolicitedNeighbourAdvert(byte[] mac, Inet6Address source, Inet6Address target) {
    checkMac(mac);
    ByteBuffer icmp = ByteBuffer.allocate(32);
    icmp.put((byte) 136).put((byte) 0).putShort((short) 0);
    icmp.putInt(0x20000000); // Override; not Solicited, not Router
    icmp.put(target.getAddress());
    icmp.put((byte) 2).put((byte) 1).put(mac);
    byte[] body = icmp.array();
    int sum = checksum(source.getAddress(), ALL_NODES, 58, body);
    body[2] = (byte) (sum >> 8);
    body[3] = (byte) sum;
    ByteBuffer ip = ByteBuffer.allocate(40 + body.length);
    ip.putInt(0x60000000).putShort((short) body.length).put((byte) 58).put((byte) 255);
    ip.put(source.getAddress()).put(ALL_NODES).put(body);
    return ip.array();
  }

  /** RFC 1071 checksum over the IPv6 pseudo-header and {@code data}. */
  static int checksum(byte[] src, byte[] dst, int nextHeader, byte[] data) {
    long sum = 0;
    for (byte[] a : new byte[][] {src, dst}) {
      for (int i = 0; i < a.length; i += 2) {
        sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
      }
    }
    sum += (data.length >>> 16) + (data.length & 0xffff) + nextHeader;
    for (int i = 0; i < data.length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (i + 1 < data.length ? data[i + 1] & 0xff : 0);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static void checkMac(byte[] mac) {
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException("an Ethernet address has 6 bytes, got "
          + (mac == null ? "null" : mac.length));
    }
  }
}

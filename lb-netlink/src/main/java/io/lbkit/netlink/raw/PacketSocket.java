package io.lbkit.netlink.raw;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.LibC;
import io.lbkit.netlink.internal.Netns;
import io.lbkit.netlink.internal.Syscalls;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An AF_PACKET (SOCK_DGRAM) socket on one interface that sends address
 * announcements: gratuitous ARP for IPv4 and unsolicited neighbour advertisements
 * for IPv6. The kernel adds the Ethernet header with the interface's own address.
 */
public final class PacketSocket implements Closeable {
  private final int arpFd;
  private final int ipv6Fd;
  private final int ifindex;
  private final String interfaceName;
  private final byte[] mac;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(128);
  private final com.sun.jna.Pointer bufPointer = com.sun.jna.Native.getDirectBufferPointer(buf);
  /** The two destinations (Ethernet broadcast; IPv6 all-nodes), built once: JNA structures are costly. */
  private final LibC.SockaddrLl arpTo;
  private final LibC.SockaddrLl ndTo;
  private volatile boolean closed;

  private PacketSocket(int arpFd, int ipv6Fd, int ifindex, String interfaceName, byte[] mac) {
    this.arpFd = arpFd;
    this.ipv6Fd = ipv6Fd;
    this.ifindex = ifindex;
    this.interfaceName = interfaceName;
    this.mac = mac;
    this.arpTo = fixed(link(ifindex, Announcements.ETH_P_ARP, new byte[] {-1, -1, -1, -1, -1, -1}));
    this.ndTo = fixed(link(ifindex, Announcements.ETH_P_IPV6, Announcements.allNodesMac()));
    // A new master's first announcement should not be the first to build one (class loading, JIT).
    Announcements.gratuitousArp(mac, (Inet4Address) Inet.parse("192.0.2.1"));
    LibC.Direct.link();
  }

  private static LibC.SockaddrLl fixed(LibC.SockaddrLl s) {
    s.write();
    s.setAutoSynch(false); // written once; JNA's per-call reflective write/read is most of a send's cost
    return s;
  }

  /**
   * Opens the sockets on {@code interfaceName}, in namespace {@code netns} (null: the current one).
   *
   * @throws IOException ENODEV for an unknown interface, EPERM without CAP_NET_RAW
   */
  public static PacketSocket open(String netns, String interfaceName) throws IOException {
    return Netns.call(netns, () -> {
      int ifindex = Syscalls.ifNameToIndex(interfaceName);
      // protocol 0 here, the protocol in bind: a socket made with a protocol is hooked to every interface at once,
      // and bind unhooks it first, waiting for an RCU grace period (synchronize_net: 6-60 ms each on this host,
      // on the VRRP instance's start path); made with 0 it is hooked once, by bind, to the interface
      int arp = Syscalls.socket(Syscalls.AF_PACKET, Syscalls.SOCK_DGRAM, 0);
      int v6 = -1;
      try {
        LibC.SockaddrLl ll = link(ifindex, Announcements.ETH_P_ARP, null);
        Syscalls.bind(arp, ll);
        LibC.SockaddrLl me = new LibC.SockaddrLl();
        Syscalls.getsockname(arp, me);
        int halen = me.sll_halen & 0xff;
        if (halen != 6) {
          throw new IOException(interfaceName + " is not an Ethernet-like link (hardware address length " + halen
              + "); gratuitous ARP needs one");
        }
        v6 = Syscalls.socket(Syscalls.AF_PACKET, Syscalls.SOCK_DGRAM, 0);
        Syscalls.bind(v6, link(ifindex, Announcements.ETH_P_IPV6, null));
        return new PacketSocket(arp, v6, ifindex, interfaceName, Arrays.copyOf(me.sll_addr, 6));
      } catch (IOException | RuntimeException e) {
        Syscalls.close(arp);
        if (v6 >= 0) {
          Syscalls.close(v6);
        }
        throw e;
      }
    });
  }

  /** The interface's hardware address. */
  public byte[] hardwareAddress() {
    return mac.clone();
  }

  /**
   * Announces {@code address}: a gratuitous ARP (IPv4) or an unsolicited NA from
   * {@code linkLocalSource} (IPv6; must then be the interface's link-local address).
   */
  public synchronized void announce(InetAddress address, InetAddress linkLocalSource) throws IOException {
    if (closed) {
      throw new IOException("packet socket on " + interfaceName + " is closed");
    }
    buf.clear();
    if (Family.of(address) == Family.INET) {
      buf.put(Announcements.gratuitousArp(mac, (Inet4Address) address)).flip();
      send(arpFd, arpTo, "gratuitous ARP for " + Inet.format(address));
    } else {
      if (!(linkLocalSource instanceof Inet6Address src)) {
        throw new IllegalArgumentException("an IPv6 announcement of " + Inet.format(address)
            + " needs the link-local source address of " + interfaceName);
      }
      buf.put(Announcements.unsolicitedNeighbourAdvert(mac, src, (Inet6Address) address)).flip();
      send(ipv6Fd, ndTo, "unsolicited NA for " + Inet.format(address));
    }
  }

  /** sendto(2) of the buffer through the direct mapping, retrying EINTR. */
  private void send(int fd, LibC.SockaddrLl to, String what) throws IOException {
    for (int i = 0; ; i++) {
      try {
        LibC.Direct.sendto(fd, bufPointer, buf.remaining(), 0, to.getPointer(), to.size());
        return;
      } catch (com.sun.jna.LastErrorException e) {
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("sendto (" + what + ") on " + interfaceName, e.getErrorCode());
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (int fd : new int[] {arpFd, ipv6Fd}) {
        try {
          Syscalls.close(fd);
        } catch (IOException e) {
          // released by the kernel anyway
        }
      }
    }
  }

  private static LibC.SockaddrLl link(int ifindex, int ethertype, byte[] dst) {
    LibC.SockaddrLl ll = new LibC.SockaddrLl();
    ll.sll_protocol = (short) htons(ethertype);
    ll.sll_ifindex = ifindex;
    if (dst != null) {
      ll.sll_halen = (byte) dst.length;
      System.arraycopy(dst, 0, ll.sll_addr, 0, dst.length);
    }
    return ll;
  }

  private static int htons(int v) {
    return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
  }
}

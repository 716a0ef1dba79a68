package io.lbkit.netlink.raw;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.LibC;
import io.lbkit.netlink.internal.Netns;
import io.lbkit.netlink.internal.Syscalls;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A raw IP socket for one protocol (VRRP: 112) on one interface: bound to the device,
 * optionally joined to a multicast group, sending with TTL / hop limit 255 and
 * multicast loopback off, and receiving each packet's payload with its source,
 * destination and TTL / hop limit (from the IPv4 header, or IPV6_HOPLIMIT and
 * IPV6_PKTINFO ancillary data) and the kernel's receive time (SO_TIMESTAMPNS). One
 * thread may receive while others send; receiving reuses native header blocks (one for
 * a single packet, one for a batch read by {@link #drain}).
 */
public final class RawIpSocket implements Closeable {
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_IPV6 = 41;
  static final int SO_BINDTODEVICE = 25;
  static final int SO_RCVTIMEO = 20;
  static final int IP_TTL = 2;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;
  static final int IPV6_ADD_MEMBERSHIP = 20;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int IPV6_RECVHOPLIMIT = 51;
  static final int IPV6_HOPLIMIT = 52;

  /**
   * One received packet.
   *
   * @param payload the IP payload (for IPv4 the header is stripped)
   * @param source IP source
   * @param destination IP destination
   * @param ttl TTL / hop limit, or -1 if the kernel did not say
   * @param receivedNanos when the kernel queued the packet, on {@link System#nanoTime()}'s
   *     scale (its SO_TIMESTAMPNS receive time moved to the monotonic clock): a timer
   *     that the packet restarts can run from its arrival, not from when a thread got to
   *     it. The time it was read when the kernel gave none (or a wall-clock step made it
   *     implausible: in the future or more than a second old).
   */
  public record Received(ByteBuffer payload, InetAddress source, InetAddress destination, int ttl,
      long receivedNanos) {}

  private final int fd;
  private final Family family;
  private final String interfaceName;
  private final int ifindex;
  private final InetAddress source;
  private final ByteBuffer rbuf = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer sbuf = ByteBuffer.allocateDirect(65536);
  private final com.sun.jna.Pointer sendPointer = Native.getDirectBufferPointer(sbuf);
  private final RawMsg rmsg;
  /** Headers and buffers for draining a burst in batches ({@link #drain}), made at the first drain. */
  private RawBatch batch;
  /** The payload handed to a {@link Handler}: a read-only view of rbuf. */
  private final ByteBuffer payload = rbuf.asReadOnlyBuffer();
  private final AddressCache addresses = new AddressCache();
  /** Destination sockaddrs by address: JNA structures are costly to build, adverts go to few places. */
  private final java.util.Map<InetAddress, Structure> destinations = new java.util.HashMap<>();
  private volatile boolean closed;
  /** The SO_RCVTIMEO set, in milliseconds; 0 (the kernel's default) waits without bound. */
  private int rcvTimeoutMillis;

  private RawIpSocket(int fd, Family family, String interfaceName, int ifindex, InetAddress source) {
    this.fd = fd;
    this.family = family;
    this.interfaceName = interfaceName;
    this.ifindex = ifindex;
    this.source = source;
    this.rmsg = new RawMsg(fd, rbuf);
  }

  /**
   * Opens the socket.
   *
   * @param netns named network namespace to open it in, or null for the current one
   * @param interfaceName the device
   * @param family IPv4 or IPv6
   * @param protocol the IP protocol (112 for VRRP)
   * @param group multicast group to join, or null
   * @param bindSource source address to bind (unicast_src_ip), or null for the kernel's choice
   * @param probe a destination the kernel picks the source address for (the group or a peer)
   * @throws IOException with the operation and errno if the kernel refuses (ENODEV, EPERM, ...)
   */
  public static RawIpSocket open(String netns, String interfaceName, Family family, int protocol,
      InetAddress group, InetAddress bindSource, InetAddress probe) throws IOException {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(family, "family");
    return Netns.call(netns, () -> {
      int ifindex = Syscalls.ifNameToIndex(interfaceName);
      InetAddress src = bindSource != null ? bindSource : sourceFor(interfaceName, family, ifindex, probe);
      int af = family == Family.INET ? Syscalls.AF_INET : Syscalls.AF_INET6;
      int fd = Syscalls.socket(af, Syscalls.SOCK_RAW, protocol);
      try {
        bindToDevice(fd, interfaceName);
        if (family == Family.INET) {
          Syscalls.setsockopt(fd, IPPROTO_IP, IP_TTL, 255, "IP_TTL 255");
          Syscalls.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL 255");
          Syscalls.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP 0");
          setBytes(fd, IPPROTO_IP, IP_MULTICAST_IF, mreqn(Inet.parse("0.0.0.0"), src, ifindex), "IP_MULTICAST_IF");
          if (group != null) {
            setBytes(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn(group, null, ifindex),
                "IP_ADD_MEMBERSHIP " + Inet.format(group) + " on " + interfaceName);
          }
        } else {
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS 255");
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS 255");
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP 0");
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
          Syscalls.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
          if (group != null) {
            ByteBuffer m = ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder());
            m.put(group.getAddress()).putInt(ifindex);
            setBytes(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, m.array(),
                "IPV6_ADD_MEMBERSHIP " + Inet.format(group) + " on " + interfaceName);
          }
        }
        Syscalls.setsockopt(fd, RawMsg.SOL_SOCKET, RawMsg.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
        if (bindSource != null) {
          Syscalls.bind(fd, sockaddr(bindSource, ifindex));
        }
        RawIpSocket s = new RawIpSocket(fd, family, interfaceName, ifindex, src);
        if (probe != null) {
          s.destination(probe); // ready before the first send (a takeover's advert)
        }
        LibC.Direct.link();
        RawMsg.link();
        return s;
      } catch (IOException | RuntimeException e) {
        Syscalls.close(fd);
        throw e;
      }
    });
  }

  /** The source address packets leave with. */
  public InetAddress sourceAddress() {
    return source;
  }

  /** The interface index. */
  public int interfaceIndex() {
    return ifindex;
  }

  /** Sends one payload to {@code dst}. */
  public synchronized void send(InetAddress dst, byte[] payload) throws IOException {
    checkOpen();
    sbuf.clear();
    sbuf.put(payload).flip();
    Structure to = destination(dst);
    int len = sbuf.remaining();
    for (int i = 0; ; i++) {
      try {
        LibC.Direct.sendto(fd, sendPointer, len, 0, to.getPointer(), to.size());
        return;
      } catch (LastErrorException e) {
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("sendto " + Inet.format(dst) + " on " + interfaceName, e.getErrorCode());
        }
      }
    }
  }

  /**
   * The sockaddr for {@code dst}, built once: JNA structures are costly to build (and the
   * first one of a kind costs milliseconds of reflection), so a backup taking over must
   * not build one on its first advert. The group or first peer is built at open.
   */
  private synchronized Structure destination(InetAddress dst) {
    Structure to = destinations.get(dst);
    if (to == null) {
      if (destinations.size() > 64) {
        destinations.clear();
      }
      to = sockaddr(dst, ifindex);
      to.write();
      to.setAutoSynch(false); // written once; JNA's per-call reflective write/read is most of a send's cost
      destinations.put(dst, to);
    }
    return to;
  }

  /** True if a packet waits in the receive buffer (poll with zero timeout). */
  public boolean hasInput() throws IOException {
    checkOpen();
    return Syscalls.pollIn(fd, 0);
  }

  /**
   * Where {@link #receive(int, Handler)} delivers a packet, on the receiving thread.
   */
  @FunctionalInterface
  public interface Handler {
    /**
     * One received packet; the arguments are those of {@link Received}.
     *
     * @param payload the IP payload, a read-only view of the socket's receive buffer that
     *     is valid only during this call (copy what must outlive it)
     * @param source IP source (the same instance for the same address, usually)
     * @param destination IP destination
     * @param ttl TTL / hop limit, or -1 if the kernel did not say
     * @param receivedNanos when the kernel queued the packet, as {@link Received#receivedNanos()}
     */
    void packet(ByteBuffer payload, InetAddress source, InetAddress destination, int ttl, long receivedNanos);
  }

  /**
   * Waits up to {@code timeoutMillis} for a packet (0: only one already queued).
   * {@link #close} from another thread wakes a receiver at once.
   *
   * @return the packet (its payload a copy), or null on timeout, for a packet too short to
   *     be IP, or when closed
   */
  public Received receive(int timeoutMillis) throws IOException {
    Received[] out = new Received[1];
    receive(timeoutMillis, (payload, src, dst, ttl, at) -> {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
      copy.put(payload).flip();
      out[0] = new Received(copy, src, dst, ttl, at);
    });
    return out[0];
  }

  /**
   * As {@link #receive(int)}, handing the packet to {@code handler} without copying it:
   * a packet from an address seen recently costs no allocation.
   *
   * @return true if a packet was handed over; false on timeout, for a packet too short
   *     to be IP, or when closed
   */
  public boolean receive(int timeoutMillis, Handler handler) throws IOException {
    checkOpen();
    long n;
    if (timeoutMillis > 0) {
      // Poll-free: one blocking recvmsg bounded by SO_RCVTIMEO (set only when the timeout
      // changes) instead of poll and then recvmsg: one system call and one wake-up per packet.
      // close() wakes it (shutdown: recvmsg returns 0); a timeout is EAGAIN, once per timeout.
      receiveTimeout(timeoutMillis);
      n = receiveRaw(0);
    } else {
      boolean ready;
      try {
        ready = rmsg.pollIn(0);
      } catch (LastErrorException e) {
        throw Syscalls.error("poll on raw socket " + interfaceName, e.getErrorCode());
      }
      if (!ready || closed) {
        return false;
      }
      n = receiveRaw(Syscalls.MSG_DONTWAIT);
    }
    if (n <= 0 || closed) {
      return false; // timeout, nothing after all, or the end of a socket shut down by close
    }
    return family == Family.INET ? receive4(n, handler) : receive6(n, handler);
  }

  /**
   * Hands every packet already queued (at most {@code max}) to {@code handler} without
   * waiting: recvmmsg(2) reads up to 16 at a time, and a call that finds fewer than it
   * asked for ends the drain (the queue was empty then), so a burst costs one system call
   * per 16 packets, no poll, and one more only when it is a multiple of 16 or nothing was
   * queued. A thread that lets a burst of packets gather and then reads them this way
   * wakes once for the burst instead of once per packet. A datagram longer than 8 KiB
   * (never a VRRP packet) is read and skipped here.
   *
   * @return how many packets were handed over (packets too short to be IP or too long are
   *     read and skipped, not counted); 0 when none was queued or when closed
   */
  public int drain(int max, Handler handler) throws IOException {
    checkOpen();
    if (batch == null) {
      batch = new RawBatch();
    }
    RawBatch b = batch;
    int handed = 0;
    for (int read = 0; read < max && !closed; ) {
      int want = Math.min(RawBatch.SLOTS, max - read);
      int got = receiveBatch(b, want);
      if (got <= 0 || closed) {
        break; // nothing queued (EAGAIN), or shut down by close
      }
      read += got;
      long now = System.nanoTime();
      for (int i = 0; i < got && !closed; i++) {
        int n = b.length(i);
        if (n <= 0 || b.truncated(i)) {
          continue;
        }
        boolean ok = family == Family.INET
            ? receive4(b.data(i), b.payload(i), n, b.kernelTime(i, now), handler)
            : receive6(b.block, RawBatch.nameOffset(i), RawBatch.controlOffset(i), b.controlLength(i), b.payload(i),
                n, b.kernelTime(i, now), handler);
        if (ok) {
          handed++;
        }
      }
      if (got < want) {
        break; // the queue was empty when the call returned
      }
    }
    return handed;
  }

  private void receiveTimeout(int millis) throws IOException {
    if (millis != rcvTimeoutMillis) {
      ByteBuffer tv = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
      tv.putLong(millis / 1000).putLong((millis % 1000) * 1000L);
      setBytes(fd, Syscalls.SOL_SOCKET, SO_RCVTIMEO, tv.array(), "SO_RCVTIMEO " + millis + " ms");
      rcvTimeoutMillis = millis;
    }
  }

  private boolean receive4(long n, Handler handler) {
    return receive4(rbuf, payload, n, rmsg.kernelTime(System.nanoTime()), handler);
  }

  private boolean receive6(long n, Handler handler) {
    return receive6(rmsg.block, RawMsg.nameOffset(), RawMsg.CONTROL,
        Math.min(rmsg.controlLength(), RawMsg.CONTROL_SIZE), payload, n, rmsg.kernelTime(System.nanoTime()), handler);
  }

  /** An IPv4 packet of {@code n} bytes in {@code data} (header included), handed on as {@code view}. */
  private boolean receive4(ByteBuffer data, ByteBuffer view, long n, long arrived, Handler handler) {
    if (n < 20) {
      return false;
    }
    int ihl = (data.get(0) & 0x0f) * 4;
    int total = (int) Math.min(n, data.capacity());
    if (ihl < 20 || ihl > total) {
      return false;
    }
    InetAddress s = addresses.get(data, 12, 4);
    InetAddress d = addresses.get(data, 16, 4);
    view.limit(total).position(ihl);
    handler.packet(view, s, d, data.get(8) & 0xff, arrived);
    return true;
  }

  /**
   * An IPv6 payload of {@code n} bytes in {@code view}, its source in the name at {@code name}
   * of {@code b}, destination and hop limit in the {@code end} bytes of ancillary data at {@code control}.
   */
  private boolean receive6(ByteBuffer b, int name, int control, long end, ByteBuffer view, long n, long arrived,
      Handler handler) {
    int total = (int) Math.min(n, view.capacity());
    InetAddress src = addresses.get(b, name + 8, 16);
    InetAddress dst = null;
    int hops = -1;
    for (long off = 0; off + 16 <= end; ) {
      int at = control + (int) off;
      long len = b.getLong(at);
      if (len < 16) {
        break;
      }
      int level = b.getInt(at + 8);
      int type = b.getInt(at + 12);
      if (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT && off + 20 <= end) {
        hops = b.getInt(at + 16);
      } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && off + 32 <= end) {
        dst = addresses.get(b, at + 16, 16);
      }
      off += (len + 7) & ~7L;
    }
    view.limit(total).position(0);
    handler.packet(view, src, dst != null ? dst : src, hops, arrived);
    return true;
  }

  /** recvmsg(2) with {@code flags}, retrying EINTR; -1 when nothing is queued (or the wait timed out), 0 when closed. */
  private long receiveRaw(int flags) throws IOException {
    for (int i = 0; ; i++) {
      try {
        return rmsg.receive(fd, flags);
      } catch (LastErrorException e) {
        if (closed) {
          return 0; // closed while waiting (EBADF): not an error
        }
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("recvmsg on raw " + family + " socket " + interfaceName, e.getErrorCode());
        }
      }
    }
  }

  /** {@link RawBatch#receiveQueued}, retrying EINTR; -1 when nothing is queued, 0 when closed. */
  private int receiveBatch(RawBatch b, int max) throws IOException {
    for (int i = 0; ; i++) {
      try {
        return b.receiveQueued(fd, max);
      } catch (LastErrorException e) {
        if (closed) {
          return 0;
        }
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("recvmmsg on raw " + family + " socket " + interfaceName, e.getErrorCode());
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        Syscalls.shutdown(fd); // wakes a receiver blocked in poll at once (close alone would not)
      } catch (IOException e) {
        // closing anyway
      }
      try {
        Syscalls.close(fd);
      } catch (IOException e) {
        // the descriptor is released by the kernel even when close reports an error
      }
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("raw socket on " + interfaceName + " is closed");
    }
  }

  /** The address the kernel would send from on this device towards {@code probe}. */
  private static InetAddress sourceFor(String iface, Family family, int ifindex, InetAddress probe)
      throws IOException {
    if (probe == null) {
      throw new IllegalArgumentException("need a group, a peer or a source address to send VRRP on " + iface);
    }
    int fd = Syscalls.socket(family == Family.INET ? Syscalls.AF_INET : Syscalls.AF_INET6, Syscalls.SOCK_DGRAM, 0);
    try {
      bindToDevice(fd, iface);
      Structure to = sockaddr(probe, ifindex);
      to.write();
      try {
        LibC.INSTANCE.connect(fd, to, to.size());
      } catch (LastErrorException e) {
        throw Syscalls.error("connect (source address lookup on " + iface + " towards " + Inet.format(probe) + ")",
            e.getErrorCode());
      }
      Structure me = family == Family.INET ? new LibC.SockaddrIn() : new LibC.SockaddrIn6();
      Syscalls.getsockname(fd, me);
      byte[] a = me instanceof LibC.SockaddrIn s4 ? s4.sin_addr : ((LibC.SockaddrIn6) me).sin6_addr;
      InetAddress src = Inet.of(a);
      if (src.isAnyLocalAddress()) {
        throw new IOException("interface " + iface + " has no " + family + " address to send VRRP from");
      }
      return src;
    } finally {
      Syscalls.close(fd);
    }
  }

  static void bindToDevice(int fd, String iface) throws IOException {
    byte[] name = (iface + "\0").getBytes(StandardCharsets.US_ASCII);
    setBytes(fd, Syscalls.SOL_SOCKET, SO_BINDTODEVICE, name, "SO_BINDTODEVICE " + iface);
  }

  static void setBytes(int fd, int level, int opt, byte[] value, String what) throws IOException {
    Memory m = new Memory(value.length);
    m.write(0, value, 0, value.length);
    for (int i = 0; ; i++) {
      try {
        LibC.INSTANCE.setsockopt(fd, level, opt, m, value.length);
        return;
      } catch (LastErrorException e) {
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("setsockopt " + what, e.getErrorCode());
        }
      }
    }
  }

  private static byte[] mreqn(InetAddress group, InetAddress local, int ifindex) {
    ByteBuffer b = ByteBuffer.allocate(12).order(java.nio.ByteOrder.nativeOrder());
    b.put(group.getAddress()).put(local != null ? local.getAddress() : new byte[4]).putInt(ifindex);
    return b.array();
  }

  static Structure sockaddr(InetAddress a, int ifindex) {
    if (Family.of(a) == Family.INET) {
      LibC.SockaddrIn s = new LibC.SockaddrIn();
      s.sin_addr = a.getAddress();
      return s;
    }
    LibC.SockaddrIn6 s = new LibC.SockaddrIn6();
    s.sin6_addr = a.getAddress();
    if (a.isLinkLocalAddress() || a.isMulticastAddress()) {
      s.sin6_scope_id = ifindex;
    }
    return s;
  }
}

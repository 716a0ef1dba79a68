package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.raw.PacketSocket;
import io.lbkit.netlink.raw.RawIpSocket;
import io.lbkit.vrrp.internal.VrrpCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real transport: a raw IP socket for protocol 112 per channel (lb-netlink's
 * {@link RawIpSocket}) with one receiving daemon thread each, and AF_PACKET sockets
 * ({@link PacketSocket}) for gratuitous ARP and unsolicited neighbour
 * advertisements. Needs CAP_NET_RAW, and lb-netlink on the class path (an optional
 * dependency of lb-vrrp: declare it next to lb-vrrp).
 *
 * <pre>{@code
 * VrrpTransport here = RawVrrpTransport.open(null);        // this network namespace
 * VrrpTransport there = RawVrrpTransport.open("lb-ns1");   // a named one (ip netns add)
 * }</pre>
 */
public final class RawVrrpTransport implements VrrpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RawVrrpTransport.class);
  // The receive thread's poll timeout: only a bound (close wakes it at once), so an idle
  // channel's thread wakes every 5 s, not several times a second.
  private static final int POLL_MILLIS = 5_000;
  private static final int IF_OPER_UNKNOWN = 0;
  private static final int IF_OPER_UP = 6;

  private final String netns;
  private final Map<String, PacketSocket> packetSockets = new HashMap<>();
  private final Map<String, InetAddress> linkLocal = new HashMap<>();

  private RawVrrpTransport(String netns) {
    this.netns = netns;
  }

  /** A transport in network namespace {@code netns} ({@code /run/netns/NAME}), or the current one if null. */
  public static RawVrrpTransport open(String netns) {
    return new RawVrrpTransport(netns);
  }

  /**
   * In this transport's namespace: the operstate "up" or "unknown" (as the default reads
   * from sysfs), here from the kernel over netlink when the namespace is a named one (this
   * process's /sys/class/net shows its own namespace's links).
   */
  @Override
  public boolean linkUp(String interfaceName) {
    if (netns == null) {
      return VrrpTransport.super.linkUp(interfaceName);
    }
    try (io.lbkit.netlink.NetlinkAddressManager links = io.lbkit.netlink.NetlinkAddressManager.open(netns)) {
      int oper = links.link(interfaceName).operState();
      return oper == IF_OPER_UP || oper == IF_OPER_UNKNOWN;
    } catch (IOException e) {
      return false; // no such interface (ENODEV), or the namespace is gone
    }
  }

  /** The kernel's link events in this transport's namespace (lb-netlink's LinkMonitor; address events ignored). */
  @Override
  public java.io.Closeable watchLinks(Runnable changed) throws IOException {
    return io.lbkit.netlink.LinkMonitor.start(netns, e -> {
      if (!(e instanceof io.lbkit.netlink.rtnl.RtnlEvent.AddressEvent)) {
        changed.run(); // a link event, or an overrun (events lost: read again)
      }
    });
  }

  @Override
  public Channel open(String iface, Family family, InetAddress group, InetAddress source, Receiver receiver)
      throws IOException {
    InetAddress probe = group != null ? group
        : Inet.parse(family == Family.INET ? "224.0.0.18" : "ff02::12");
    RawIpSocket s = RawIpSocket.open(netns, iface, family, VrrpCodec.PROTOCOL, group, source, probe);
    if (family == Family.INET6) {
      synchronized (this) {
        linkLocal.putIfAbsent(iface, s.sourceAddress());
      }
    }
    prepareAnnouncements(iface);
    java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
    Thread t = new Thread(() -> loop(s, iface, receiver, busy), "lbkit-vrrp-rx-" + iface);
    t.setDaemon(true);
    t.start();
    return new Channel() {
      @Override
      public InetAddress sourceAddress() {
        return s.sourceAddress();
      }

      @Override
      public void send(InetAddress dst, byte[] vrrp) throws IOException {
        s.send(dst, vrrp);
      }

      @Override
      public boolean inputPending() {
        try {
          boolean pending = busy.get() || s.hasInput();
          if (pending) {
            // a receive thread gathering a burst reads now: the timer that asks waits for that, not the gather
            java.util.concurrent.locks.LockSupport.unpark(t);
          }
          return pending;
        } catch (IOException e) {
          return false;
        }
      }

      @Override
      public void close() {
        s.close();
        try {
          t.join(POLL_MILLIS + 1000L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (RawVrrpTransport.this) {
          packetSockets.values().forEach(PacketSocket::close);
          packetSockets.clear();
        }
      }
    };
  }

  private static void loop(RawIpSocket s, String iface, Receiver receiver,
      java.util.concurrent.atomic.AtomicBoolean busy) {
    int errors = 0;
    // One handler for the channel's life: a packet costs no allocation here.
    Batcher handler = new Batcher(receiver, busy);
    while (true) {
      try {
        handler.once(s);
        errors = 0;
      } catch (IOException e) {
        if (e.getMessage() != null && e.getMessage().contains("closed")) {
          return;
        }
        if (++errors > 100) {
          LOG.error("VRRP receive on {} failing repeatedly, giving up: {}", iface, e.getMessage());
          return;
        }
        LOG.warn("VRRP receive on {}: {}", iface, e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("VRRP receive on {}: packet handling failed", iface, e);
      }
    }
  }

  /**
   * Hands packets to the receiver, and reads a burst in batches. Many instances' masters
   * send their adverts close together (keepalived's 100 masters: all within about 50 ms
   * each second, a few hundred microseconds apart), and a thread woken per packet pays a
   * wake-up (a context switch, the blocking recvmsg's timer) for each: 40-70 a second for
   * 100 adverts, 5-9 with batches (IdleCostBench; docs/performance.md). So when a packet arrives
   * within {@link #BURST_GAP_NANOS} of the one before (kernel receive times), the thread
   * sleeps {@link #GATHER_NANOS} and then reads everything queued at once, again while
   * packets keep coming (the last one read came within the gap of the read's end); the
   * first packet after a quiet spell is handled at once (a lone instance's adverts never
   * wait). A packet of a burst thus waits up to the gather time
   * in the socket buffer: its timers still run from its arrival (the age handed on is the
   * kernel's), and any instance's master-down timer that expires meanwhile sees input
   * pending ({@link Channel#inputPending}), which cuts the gather short, and waits for it
   * in 1 ms steps (a takeover that falls inside another instance's burst waits for the
   * burst to be read, up to one such step). A
   * gather that finds {@link #GATHER_MAX} packets reads on without sleeping, so the socket
   * buffer does not fill at high rates.
   */
  static final class Batcher implements RawIpSocket.Handler {
    /** Packets this close together (arrival times) are a burst. */
    static final long BURST_GAP_NANOS = 2_000_000;
    /** How long a burst's packets gather before one read of them all. */
    static final long GATHER_NANOS = 5_000_000;
    /** Packets read per gather at most; a gather this full reads on without sleeping. */
    static final int GATHER_MAX = 64;

    private final Receiver receiver;
    private final java.util.concurrent.atomic.AtomicBoolean busy;
    private long lastArrival = Long.MIN_VALUE;
    private long gap = Long.MAX_VALUE;
    /** In {@link #drainBusy}: the channel is marked busy for the whole read. */
    private boolean draining;
    private RawIpSocket drainOf;
    private Drain drain;

    Batcher(Receiver receiver, java.util.concurrent.atomic.AtomicBoolean busy) {
      this.receiver = receiver;
      this.busy = busy;
    }

    @Override
    public void packet(java.nio.ByteBuffer payload, InetAddress src, InetAddress dst, int ttl, long receivedNanos) {
      if (io.lbkit.vrrp.internal.Trace.ON) {
        io.lbkit.vrrp.internal.Trace.mark(io.lbkit.vrrp.internal.Trace.RX);
      }
      gap = lastArrival == Long.MIN_VALUE ? Long.MAX_VALUE : receivedNanos - lastArrival;
      lastArrival = receivedNanos;
      boolean mark = !draining; // a drain holds the channel busy for all its packets
      if (mark) {
        busy.set(true);
      }
      try {
        receiver.received(payload, src, dst, ttl, Math.max(0, System.nanoTime() - receivedNanos));
      } finally {
        if (mark) {
          busy.set(false);
        }
      }
    }

    /**
     * One turn of the receive loop: waits for a packet (at most {@link #POLL_MILLIS}), hands
     * it over and, if it is part of a burst, gathers the rest. A method of its own so that the
     * JIT compiles it: the loop around it is entered once and never returns, so it runs in the
     * interpreter (a few times a second: never often enough for an on-stack replacement).
     */
    void once(RawIpSocket s) throws IOException {
      if (s.receive(POLL_MILLIS, this) && inBurst()) {
        gather(s);
      }
    }

    /** True if the last packet came within {@link #BURST_GAP_NANOS} of the one before. */
    boolean inBurst() {
      return gap >= 0 && gap < BURST_GAP_NANOS;
    }

    /**
     * Sleeps and reads what gathered, while the burst goes on ({@link #goesOn}; bounded by the
     * socket's close and the senders: each round reads at least one packet).
     */
    void gather(RawIpSocket s) throws IOException {
      if (drainOf != s) { // one method reference per socket, not one per gather
        drainOf = s;
        drain = s::drain;
      }
      int got = 0;
      do {
        if (got < GATHER_MAX) {
          java.util.concurrent.locks.LockSupport.parkNanos(GATHER_NANOS);
        }
        got = drainBusy(drain);
      } while (goesOn(got, System.nanoTime()));
    }

    /** Where a gather reads from: {@link RawIpSocket#drain}. */
    @FunctionalInterface
    interface Drain {
      int drain(int max, RawIpSocket.Handler handler) throws IOException;
    }

    /**
     * One read of what gathered, with the channel busy from before the read to after the last
     * packet: a read takes up to 16 packets off the socket at once, and those not handed over
     * yet are neither queued (a timer's {@link Channel#inputPending} would not see them) nor,
     * between two packets, being handled.
     */
    int drainBusy(Drain d) throws IOException {
      busy.set(true);
      draining = true;
      try {
        return d.drain(GATHER_MAX, this);
      } finally {
        draining = false;
        busy.set(false);
      }
    }

    /**
     * After a gather read {@code got} packets: true if another is worth it, when the gather
     * was full or its last packet came within {@link #BURST_GAP_NANOS} of {@code nowNanos}.
     * A burst that went quiet that long is taken as over: the thread goes back to a blocking
     * read instead of sleeping once more and finding nothing (a wake-up and two system calls
     * per burst); a packet that comes after all is read as the first of a burst is.
     */
    boolean goesOn(int got, long nowNanos) {
      return got >= GATHER_MAX || got > 0 && nowNanos - lastArrival < BURST_GAP_NANOS;
    }
  }

  /**
   * Opens the interface's packet socket now, not at a new master's first announcement
   * (which would pay for the socket, JNA's first calls and class loading while the
   * next advert waits). A link that cannot have one (not Ethernet-like) is left to
   * fail where it is used, in {@link #announce}.
   */
  private void prepareAnnouncements(String iface) {
    synchronized (this) {
      if (packetSockets.containsKey(iface)) {
        return;
      }
      try {
        packetSockets.put(iface, PacketSocket.open(netns, iface));
      } catch (IOException e) {
        LOG.debug("no packet socket on {} yet: {}", iface, e.getMessage());
      }
    }
  }

  @Override
  public void announce(String iface, InetAddress address) throws IOException {
    PacketSocket p;
    InetAddress ll;
    synchronized (this) {
      p = packetSockets.get(iface);
      if (p == null) {
        p = PacketSocket.open(netns, iface);
        packetSockets.put(iface, p);
      }
      ll = linkLocal.get(iface);
    }
    p.announce(address, ll);
  }
}

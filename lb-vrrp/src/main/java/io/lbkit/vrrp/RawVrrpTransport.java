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
          return busy.get() || s.hasInput();
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
    RawIpSocket.Handler handler = (payload, src, dst, ttl, receivedNanos) -> {
      if (io.lbkit.vrrp.internal.Trace.ON) {
        io.lbkit.vrrp.internal.Trace.mark(io.lbkit.vrrp.internal.Trace.RX);
      }
      busy.set(true);
      try {
        receiver.received(payload, src, dst, ttl, Math.max(0, System.nanoTime() - receivedNanos));
      } finally {
        busy.set(false);
      }
    };
    while (true) {
      try {
        s.receive(POLL_MILLIS, handler);
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

package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory link layer for VRRP routers under test (or simulations): every host's
 * interface of the same name is on the same segment; multicast reaches every other
 * joined endpoint on it, unicast the endpoint with that address. Packets are
 * delivered through the {@link TimerService} after a fixed latency, so that with
 * lb-testing's {@code ManualClock} a whole election runs inside {@code advance}.
 *
 * <pre>{@code
 * InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
 * VrrpRouter a = VrrpRouter.builder(net.host(Inet.parse("10.0.0.1")), addressesA, clock).instance(spec).build();
 * net.cut(Inet.parse("10.0.0.1"));   // the host falls off the link
 * net.linkDown(Inet.parse("10.0.0.2"), "eth0");   // its eth0 goes down: FAULT (the router is told at once)
 * }</pre>
 *
 * <p>A host's links are up unless a test sets one down ({@link #linkDown}): routers on
 * the network track their interfaces through {@link VrrpTransport#linkUp}, which the
 * network answers, never the machine's {@code /sys/class/net}. A link that is down
 * carries no packets either way.
 */
public final class InMemoryVrrpNetwork {
  private final TimerService clock;
  private final Duration latency;
  private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
  private final Set<InetAddress> cut = new HashSet<>();
  private final Set<String> downLinks = new HashSet<>();
  private final List<Runnable> linkWatchers = new CopyOnWriteArrayList<>();
  private final List<String> log = new ArrayList<>();

  /** A network delivering through {@code clock} after {@code latency}. */
  public InMemoryVrrpNetwork(TimerService clock, Duration latency) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
  }

  /** A host whose every interface has {@code address} (IPv4 or IPv6) as its primary address. */
  public VrrpTransport host(InetAddress address) {
    Objects.requireNonNull(address, "address");
    return new VrrpTransport() {
      @Override
      public Channel open(String iface, Family family, InetAddress group, InetAddress source, Receiver r) {
        InetAddress src = source != null ? source : address;
        if (Family.of(src) != family) {
          throw new IllegalArgumentException("host " + Inet.format(address) + " has no " + family + " address on "
              + iface);
        }
        Endpoint e = new Endpoint(iface, address, src, group, r);
        endpoints.add(e);
        return e;
      }

      @Override
      public void announce(String iface, InetAddress vip) {
        synchronized (InMemoryVrrpNetwork.this) {
          if (!cut.contains(address) && !downLinks.contains(linkKey(address, iface))) {
            log.add((Family.of(vip) == Family.INET ? "garp " : "na ") + iface + " " + Inet.format(vip) + " from "
                + Inet.format(address));
          }
        }
      }

      @Override
      public boolean linkUp(String iface) {
        return isUp(address, iface);
      }

      @Override
      public java.io.Closeable watchLinks(Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        linkWatchers.add(changed);
        return () -> linkWatchers.remove(changed);
      }
    };
  }

  /**
   * Sets {@code host}'s link {@code iface} down: routers there see it down (told at once,
   * as a real link's netlink event tells them), and it carries no packets.
   */
  public void linkDown(InetAddress host, String iface) {
    synchronized (this) {
      downLinks.add(linkKey(host, iface));
    }
    linkWatchers.forEach(Runnable::run);
  }

  /** Sets a link up again (links are up unless set down); routers are told at once. */
  public void linkUp(InetAddress host, String iface) {
    synchronized (this) {
      downLinks.remove(linkKey(host, iface));
    }
    linkWatchers.forEach(Runnable::run);
  }

  private synchronized boolean isUp(InetAddress host, String iface) {
    return !downLinks.contains(linkKey(host, iface));
  }

  private static String linkKey(InetAddress host, String iface) {
    return Inet.format(Objects.requireNonNull(host, "host")) + "%" + Objects.requireNonNull(iface, "iface");
  }

  /** Disconnects the host with this address: its packets are lost both ways until {@link #heal}. */
  public synchronized void cut(InetAddress host) {
    cut.add(host);
  }

  /** Reconnects a host. */
  public synchronized void heal(InetAddress host) {
    cut.remove(host);
  }

  /** Every announcement sent so far ({@code "garp eth0 10.0.0.100 from 10.0.0.1"}). */
  public synchronized List<String> announcements() {
    return List.copyOf(log);
  }

  private void deliver(Endpoint from, InetAddress dst, byte[] bytes) {
    synchronized (this) {
      if (cut.contains(from.source) || downLinks.contains(linkKey(from.host, from.iface))) {
        return;
      }
    }
    for (Endpoint to : endpoints) {
      if (to == from || to.closed || !to.iface.equals(from.iface) || Family.of(to.source) != Family.of(dst)) {
        continue;
      }
      boolean reaches = dst.isMulticastAddress() ? dst.equals(to.group) : dst.equals(to.source);
      synchronized (this) {
        if (!reaches || cut.contains(to.source) || downLinks.contains(linkKey(to.host, to.iface))) {
          continue;
        }
      }
      byte[] copy = bytes.clone();
      to.inFlight.incrementAndGet();
      clock.schedule(latency, () -> {
        to.inFlight.decrementAndGet();
        if (!to.closed) {
          to.receiver.received(ByteBuffer.wrap(copy), from.source, dst, 255);
        }
      });
    }
  }

  private final class Endpoint implements VrrpTransport.Channel {
    final String iface;
    final InetAddress host;
    final InetAddress source;
    final InetAddress group;
    final VrrpTransport.Receiver receiver;
    final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean closed;

    Endpoint(String iface, InetAddress host, InetAddress source, InetAddress group, VrrpTransport.Receiver receiver) {
      this.iface = iface;
      this.host = host;
      this.source = source;
      this.group = group;
      this.receiver = receiver;
    }

    @Override
    public InetAddress sourceAddress() {
      return source;
    }

    @Override
    public void send(InetAddress dst, byte[] vrrp) {
      deliver(this, dst, vrrp);
    }

    @Override
    public boolean inputPending() {
      return inFlight.get() > 0;
    }

    @Override
    public void close() {
      closed = true;
      endpoints.remove(this);
    }
  }
}

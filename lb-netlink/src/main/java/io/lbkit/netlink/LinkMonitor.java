package io.lbkit.netlink;

import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.rtnl.Rtnl;
import io.lbkit.netlink.rtnl.RtnlCodec;
import io.lbkit.netlink.rtnl.RtnlEvent;
import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the kernel's link and address changes (multicast groups RTNLGRP_LINK,
 * RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR) as typed {@link RtnlEvent}s to a listener on
 * one daemon thread: how a VRRP instance notices a tracked interface going down or a VIP
 * removed by hand.
 *
 * <pre>{@code
 * try (LinkMonitor m = LinkMonitor.start(null, event -> {
 *   if (event instanceof RtnlEvent.AddressEvent a && a.removed()) { ... re-add the VIP ... }
 *   if (event instanceof RtnlEvent.LinkEvent l && !l.link().isRunning()) { ... fault ... }
 *   if (event instanceof RtnlEvent.Overrun) { ... re-read the state ... }
 * })) { ... }
 * }</pre>
 *
 * <p>Subscribed when {@link #start} returns: no change made after that is missed, except
 * where the kernel drops events because the listener fell behind, which is reported as
 * {@link RtnlEvent.Overrun}. The listener runs on the monitor thread and must not block
 * for long; an exception it throws is logged and the monitor goes on. The thread sleeps
 * in the kernel until an event comes (or {@value #POLL_MILLIS} ms pass): an idle monitor
 * costs no wake-ups. {@link #close()} wakes it at once (the kernel's ack of an empty
 * request sent on its socket).
 */
public final class LinkMonitor implements Closeable {
  /**
   * How long one wait for events lasts at most (a bound: {@link #close()} wakes the
   * thread at once; until 2026-12 this was 100 ms and bounded how long close took).
   */
  public static final int POLL_MILLIS = 600_000;

  /** How long close() waits for the thread (a listener still busy). */
  private static final int CLOSE_MILLIS = 1100;

  private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);

  private final NetlinkSocket socket;
  private final Consumer<RtnlEvent> listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile IOException failure;

  private LinkMonitor(NetlinkSocket socket, Consumer<RtnlEvent> listener, String netns) {
    this.socket = socket;
    this.listener = listener;
    this.thread = new Thread(this::loop, "lbkit-link-monitor" + (netns == null ? "" : "-" + netns));
    thread.setDaemon(true);
  }

  /**
   * Subscribes in the named network namespace (null: the current one) and starts delivering.
   *
   * @throws IOException if the socket cannot be opened or subscribed
   */
  public static LinkMonitor start(String netns, Consumer<RtnlEvent> listener) throws IOException {
    Objects.requireNonNull(listener, "listener");
    NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_ROUTE, netns);
    try {
      s.joinGroup(Rtnl.RTNLGRP_LINK);
      s.joinGroup(Rtnl.RTNLGRP_IPV4_IFADDR);
      s.joinGroup(Rtnl.RTNLGRP_IPV6_IFADDR);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    LinkMonitor m = new LinkMonitor(s, listener, netns);
    m.thread.start();
    return m;
  }

  /** True while the thread runs (false after {@link #close()} or a socket failure). */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** The socket error that stopped the monitor, or null. */
  public IOException failure() {
    return failure;
  }

  private void loop() {
    NetlinkSocket.EventSink sink = new NetlinkSocket.EventSink() {
      @Override
      public void event(ByteBuffer buf, int offset, int length) {
        RtnlEvent e;
        try {
          e = decode(buf, offset, length);
        } catch (ProtocolException ex) {
          LOG.warn("ignoring a malformed rtnetlink event: {}", ex.getMessage());
          return;
        }
        if (e != null) {
          deliver(e);
        }
      }

      @Override
      public void overrun() {
        deliver(new RtnlEvent.Overrun());
      }
    };
    try {
      while (!closed) {
        socket.receiveEvents(sink, POLL_MILLIS);
      }
    } catch (IOException e) {
      if (!closed) {
        failure = e;
        LOG.error("link monitor stopped: {}", e.getMessage());
      }
    } finally {
      // the thread owns the socket: closing it here never pulls it from under a receive
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing the link monitor socket: {}", e.getMessage());
      }
    }
  }

  private void deliver(RtnlEvent e) {
    if (closed) {
      return;
    }
    try {
      listener.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("link monitor listener failed on {}: {}", e, ex.toString());
    }
  }

  /** The typed event in one message, or null for message types this monitor does not report. */
  static RtnlEvent decode(ByteBuffer b, int off, int len) throws ProtocolException {
    if (len < Nl.NLMSG_HDRLEN) {
      throw new ProtocolException("event of " + len + " bytes");
    }
    int type = b.getShort(off + 4) & 0xffff;
    switch (type) {
      case Rtnl.RTM_NEWLINK:
      case Rtnl.RTM_DELLINK:
        return new RtnlEvent.LinkEvent(type == Rtnl.RTM_DELLINK, RtnlCodec.decodeLink(b, off, len));
      case Rtnl.RTM_NEWADDR:
      case Rtnl.RTM_DELADDR:
        return new RtnlEvent.AddressEvent(type == Rtnl.RTM_DELADDR, RtnlCodec.decodeAddress(b, off, len));
      default:
        return null;
    }
  }

  /**
   * Stops delivering and waits (at most a second) for the thread, which closes the socket
   * as it ends. No event reaches the listener after this returns. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      socket.wake();
    } catch (IOException e) {
      LOG.debug("waking the link monitor: {}", e.getMessage()); // closed already: the thread has ended
    }
    try {
      thread.join(CLOSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("link monitor listener still busy after close(); the socket closes when it returns");
    }
  }
}

package io.lbkit.vrrp;

import io.lbkit.api.Family;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Where VRRP packets go: raw IP sockets for protocol 112 on a real link
 * ({@link RawVrrpTransport}), or an {@link InMemoryVrrpNetwork} in tests. A
 * {@link VrrpRouter} opens one channel per interface, family and group and shares it
 * between its instances, demultiplexing received adverts by VRID.
 */
public interface VrrpTransport {

  /** Receives the VRRP message of each packet (the IP payload), on any thread. */
  @FunctionalInterface
  interface Receiver {
    /**
     * One received packet.
     *
     * @param vrrp the VRRP message, position to limit (the transport may reuse the buffer after the call: copy
     *     what must outlive it)
     * @param src IP source address
     * @param dst IP destination address
     * @param ttl IPv4 TTL or IPv6 hop limit, or -1 if the transport cannot tell
     */
    void received(ByteBuffer vrrp, InetAddress src, InetAddress dst, int ttl);

    /**
     * One received packet whose arrival time the transport knows (RawVrrpTransport:
     * the kernel's receive time). A router's receiver runs the timers the advert
     * restarts from its arrival, so time spent waking and reading does not lengthen a
     * failover; this default drops the age.
     *
     * @param ageNanos how long ago, as of this call, the packet arrived (0 or more)
     */
    default void received(ByteBuffer vrrp, InetAddress src, InetAddress dst, int ttl, long ageNanos) {
      received(vrrp, src, dst, ttl);
    }
  }

  /** An open endpoint on one interface. */
  interface Channel extends Closeable {
    /** The address adverts are sent from (the interface's primary address, or unicast_src_ip). */
    InetAddress sourceAddress();

    /** Sends one VRRP message to {@code dst} (the group or a unicast peer) with TTL / hop limit 255. */
    void send(InetAddress dst, byte[] vrrp) throws IOException;

    /**
     * True while received packets wait to be delivered (in the socket buffer or being
     * handed over): a late master-down timer waits for them before taking over.
     */
    default boolean inputPending() {
      return false;
    }

    /** Stops receiving and releases the endpoint. */
    @Override
    void close();
  }

  /**
   * Opens an endpoint.
   *
   * @param interfaceName the link
   * @param family IPv4 or IPv6
   * @param group multicast group to join, or null for unicast only
   * @param source the source address to use (unicast_src_ip), or null for the interface's primary
   * @param receiver where received packets go
   * @throws IOException if the interface does not exist or the socket cannot be opened
   */
  Channel open(String interfaceName, Family family, InetAddress group, InetAddress source, Receiver receiver)
      throws IOException;

  /**
   * Announces that this host now holds {@code address} on {@code interfaceName}: a
   * gratuitous ARP for IPv4, an unsolicited neighbour advertisement for IPv6.
   */
  void announce(String interfaceName, InetAddress address) throws IOException;

  /**
   * Whether the link is up, as this transport sees it: what a {@link VrrpRouter} tracks
   * an instance's interface (and track_interface) by, unless its builder is given
   * {@link VrrpRouter.Builder#linkStatus}. By default the operstate in this process's
   * {@code /sys/class/net} ("up", or "unknown" as loopback and some tunnels report); a
   * missing interface is down. An {@link InMemoryVrrpNetwork} host answers from the
   * in-memory network instead.
   */
  default boolean linkUp(String interfaceName) {
    return Tracker.sysfsLinkUp(interfaceName);
  }

  /**
   * Calls {@code changed} (on any thread, it must not block) whenever a link's state, as
   * {@link #linkUp} reads it, may have changed, until the returned handle is closed: what
   * lets a {@link VrrpRouter} whose instances track nothing a poll must read (no
   * track_file) sleep until a link changes instead of re-reading the links every
   * tracking interval, as keepalived does with netlink link events. Null (the default):
   * this transport cannot tell, and the router polls. {@link RawVrrpTransport} uses
   * lb-netlink's {@code LinkMonitor}; an {@link InMemoryVrrpNetwork} host its
   * {@code linkDown} / {@code linkUp}.
   *
   * @throws IOException if the events cannot be subscribed to (the router then polls)
   */
  default java.io.Closeable watchLinks(Runnable changed) throws IOException {
    return null;
  }
}

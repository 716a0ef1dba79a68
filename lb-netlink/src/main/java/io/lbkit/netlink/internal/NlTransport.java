package io.lbkit.netlink.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a {@link NetlinkSocket} sends datagrams and receives them from: the kernel
 * ({@link KernelTransport}) or, in tests, a fake kernel that answers at the byte level.
 * Internal.
 */
public interface NlTransport extends Closeable {

  /** The socket's netlink port id (the kernel's replies carry it). */
  int portId();

  /**
   * The largest datagram {@link #send} takes (the kernel refuses a netlink message
   * batch above SO_SNDBUF - 32 bytes with EMSGSIZE).
   */
  int maxSend();

  /**
   * How many acks may be outstanding before the receive buffer could overflow and
   * the kernel would drop some (ENOBUFS).
   */
  int maxInFlight();

  /** Sends one datagram (buffer position to limit), all of it or an exception. */
  void send(ByteBuffer datagram) throws IOException;

  /**
   * Waits at most {@code timeoutMillis} for one datagram from the kernel and reads it into
   * {@code into} (cleared first; on return position 0, limit its length).
   *
   * @return false when nothing arrived in time
   * @throws io.lbkit.api.kernel.KernelException ENOBUFS when the kernel dropped messages for this socket
   * @throws java.net.ProtocolException when the datagram did not fit {@code into}
   */
  boolean receive(ByteBuffer into, int timeoutMillis) throws IOException;

  /** Joins a multicast group (NETLINK_ADD_MEMBERSHIP). */
  void joinGroup(int group) throws IOException;

  /**
   * From any thread, while another may wait in {@link #receive}: makes a datagram arrive
   * soon (the kernel's ack of an empty request), so that a waiting receive returns. Does
   * nothing once closed. The default does nothing (a transport whose receives do not wait).
   */
  default void wake() throws IOException {}
}

package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * The datagram level under {@link NetlinkSocket}: one transport, its receive buffer and
 * sequence counter. It stamps requests (sequence number, port id, NLM_F_REQUEST), sends
 * them, receives one datagram within the timeout (an ETIMEDOUT error otherwise) and checks
 * its framing, and reads the headers of the messages in it. Errors name the operation,
 * built only when an error needs it. Not thread-safe. Internal.
 */
final class NlChannel {
  /** Size of the receive buffer (the kernel's dump datagrams are at most 32 KiB). */
  static final int RECV_SIZE = 64 << 10;

  private final NlTransport transport;
  private final int timeoutMillis;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(RECV_SIZE).order(ByteOrder.nativeOrder());
  private int seq;

  NlChannel(NlTransport transport, int timeoutMillis) {
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
    this.seq = (int) (System.nanoTime() & 0x3fffffff) | 1;
  }

  NlTransport transport() {
    return transport;
  }

  /** The last received datagram (position 0, limit its length). */
  ByteBuffer rx() {
    return rx;
  }

  /** The sequence number the next {@link #stamp} gives. */
  int nextSeq() {
    return seq + 1;
  }

  /** Stamps the message at {@code at} with a fresh sequence number, the port id and {@code flags}. */
  int stamp(ByteBuffer b, int at, int flags) throws ProtocolException {
    if (b.limit() - at < Nl.NLMSG_HDRLEN) {
      throw new ProtocolException("netlink request shorter than its header");
    }
    seq++;
    b.putShort(at + 6, (short) (b.getShort(at + 6) | Nl.NLM_F_REQUEST | flags));
    b.putInt(at + 8, seq);
    b.putInt(at + 12, transport.portId());
    return seq;
  }

  void send(ByteBuffer m, Supplier<String> operation) throws IOException {
    try {
      transport.send(m);
    } catch (KernelException e) {
      throw KernelException.of(Subject.OTHER, operation.get() + " (send)", e.errno(), e.extAck());
    }
  }

  /** Receives one datagram into {@link #rx} and checks its framing. */
  void receive(Supplier<String> operation) throws IOException {
    boolean got;
    try {
      got = transport.receive(rx, timeoutMillis);
    } catch (KernelException e) {
      throw KernelException.of(Subject.OTHER, operation.get() + " (receive)", e.errno(), e.extAck());
    }
    if (!got) {
      throw KernelException.of(Subject.OTHER, operation.get() + ": no reply from the kernel within " + timeoutMillis
          + " ms", Errno.ETIMEDOUT, null);
    }
    Framing.check(rx);
  }

  /** True when the message at {@code p} answers request {@code s} of this socket. */
  boolean mine(int p, int s) {
    return rx.getInt(p + 8) == s && rx.getInt(p + 12) == transport.portId();
  }

  /** The offset of the message after the one at {@code p}. */
  int next(int p) {
    return p + Nl.align(rx.getInt(p));
  }

  /** The message type at {@code p}. */
  int type(int p) {
    return rx.getShort(p + 4) & 0xffff;
  }

  /** The positive errno of the NLMSG_ERROR at {@code p} (0 for an ack). */
  int errorOf(int p, int len) throws ProtocolException {
    if (len < Nl.NLMSG_HDRLEN + 4) {
      throw new ProtocolException("NLMSG_ERROR of " + len + " bytes has no error code");
    }
    return -rx.getInt(p + Nl.NLMSG_HDRLEN);
  }
}

package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A netlink socket that speaks the request/reply protocol: it stamps every request
 * with a fresh sequence number and its port id, accepts only replies carrying both,
 * reads multipart dumps to NLMSG_DONE (retrying dumps the kernel marks inconsistent),
 * turns NLMSG_ERROR into {@link KernelException}s with the extended-ack text, sends
 * batches of requests in as few sendmsg calls as the buffers allow with one ack each,
 * and never waits longer than its timeout for any datagram. Not thread-safe. Internal.
 *
 * <pre>{@code
 * try (NetlinkSocket s = NetlinkSocket.open(Nl.NETLINK_GENERIC)) {
 *   List<ByteBuffer> replies = s.request(message, Subject.OTHER, "resolve family IPVS");
 * }
 * }</pre>
 */
public final class NetlinkSocket implements Closeable {
  /** Default wait for any one datagram. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 5000;
  /** Size of the receive buffer (the kernel's dump datagrams are at most 32 KiB). */
  static final int RECV_SIZE = NlChannel.RECV_SIZE;
  /** How often an inconsistent dump (NLM_F_DUMP_INTR) is retried. */
  static final int DUMP_ATTEMPTS = 5;
  /** Upper bound of datagrams one operation may read. */
  static final int MAX_DATAGRAMS = 1 << 22;

  /** Result of one request of a batch. @param errno 0 for success @param extAck kernel text or null */
  public record Ack(int errno, String extAck) {
    /** Success. */
    public static final Ack OK = new Ack(0, null);

    /** True for success. */
    public boolean ok() {
      return errno == 0;
    }
  }

  /** Decodes one reply message of a dump; must copy what it keeps. */
  @FunctionalInterface
  public interface Decoder<T> {
    /** @return the value, or null to skip the message */
    T decode(ByteBuffer buf, int offset, int length) throws ProtocolException;
  }

  /** Receives multicast events. */
  public interface EventSink {
    /** One event message; must copy what it keeps. */
    void event(ByteBuffer buf, int offset, int length) throws IOException;

    /** The kernel dropped events (ENOBUFS): the receiver must resynchronise by a dump. */
    void overrun();
  }

  private final NlChannel ch;
  private final ByteBuffer rx;

  private NetlinkSocket(NlTransport transport, int timeoutMillis) {
    this.ch = new NlChannel(transport, timeoutMillis);
    this.rx = ch.rx();
  }

  /** A socket of {@code protocol} in the current network namespace. */
  public static NetlinkSocket open(int protocol) throws IOException {
    return new NetlinkSocket(KernelTransport.open(protocol), DEFAULT_TIMEOUT_MILLIS);
  }

  /** A socket of {@code protocol} in network namespace {@code netns} (null: the current one). */
  public static NetlinkSocket open(int protocol, String netns) throws IOException {
    return new NetlinkSocket(Netns.call(netns, () -> KernelTransport.open(protocol)), DEFAULT_TIMEOUT_MILLIS);
  }

  /** A socket over any transport (a fake kernel in tests), waiting at most {@code timeoutMillis} per datagram. */
  public static NetlinkSocket over(NlTransport transport, int timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeout must be positive: " + timeoutMillis);
    }
    return new NetlinkSocket(transport, timeoutMillis);
  }

  /** The port id. */
  public int portId() {
    return ch.transport().portId();
  }

  /**
   * Sends one request with NLM_F_ACK and returns copies of its reply messages (without the
   * ack), each a native-order buffer holding one whole message.
   *
   * @param subject what the request is about, for the errno translation
   * @param operation what to call it in errors, e.g. {@code "IPVS add service TCP 10.0.0.1:80"}
   */
  public List<ByteBuffer> request(ByteBuffer message, Subject subject, String operation) throws IOException {
    ByteBuffer m = message.duplicate().order(ByteOrder.nativeOrder());
    int s = ch.stamp(m, m.position(), Nl.NLM_F_ACK);
    Supplier<String> op = () -> operation;
    ch.send(m, op);
    List<ByteBuffer> replies = new ArrayList<>(1);
    for (int d = 0; d < MAX_DATAGRAMS; d++) {
      ch.receive(op);
      for (int p = 0; p < rx.limit(); p = ch.next(p)) {
        int len = rx.getInt(p);
        if (!ch.mine(p, s)) {
          continue;
        }
        int type = ch.type(p);
        if (type == Nl.NLMSG_ERROR) {
          int err = ch.errorOf(p, len);
          if (err == 0) {
            return replies;
          }
          throw KernelException.of(subject, operation, err, Framing.extAck(rx, p, len));
        } else if (type == Nl.NLMSG_DONE) {
          return replies;
        } else if (type == Nl.NLMSG_OVERRUN) {
          throw KernelException.of(Subject.OTHER, operation + ": netlink overrun", Errno.ENOBUFS, null);
        } else if (type != Nl.NLMSG_NOOP) {
          ByteBuffer copy = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
          copy.put(rx.duplicate().position(p).limit(p + len)).flip();
          replies.add(copy);
        }
      }
    }
    throw KernelException.of(Subject.OTHER, operation + ": no ack after " + MAX_DATAGRAMS + " datagrams",
        Errno.EPROTO, null);
  }

  /**
   * Runs a dump request (the caller sets NLM_F_DUMP) and decodes every reply message.
   * A dump the kernel flags NLM_F_DUMP_INTR (the table changed meanwhile) is run again,
   * up to {@value #DUMP_ATTEMPTS} times, then fails with EAGAIN.
   */
  public <T> List<T> dump(ByteBuffer message, String operation, Decoder<T> decoder) throws IOException {
    return dump(message, (Supplier<String>) () -> operation, decoder);
  }

  /**
   * {@link #dump(ByteBuffer, String, Decoder)} with the operation's name built only when an
   * error needs it (a table read runs one dump per service).
   */
  public <T> List<T> dump(ByteBuffer message, Supplier<String> operationName, Decoder<T> decoder)
      throws IOException {
    for (int attempt = 0; attempt < DUMP_ATTEMPTS; attempt++) {
      ByteBuffer m = message.duplicate().order(ByteOrder.nativeOrder());
      int s = ch.stamp(m, m.position(), 0);
      ch.send(m, operationName);
      List<T> out = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      for (int d = 0; !done; d++) {
        if (d >= MAX_DATAGRAMS) {
          throw KernelException.of(Subject.OTHER, operationName.get() + ": dump longer than " + MAX_DATAGRAMS
              + " datagrams", Errno.EPROTO, null);
        }
        ch.receive(operationName);
        for (int p = 0; p < rx.limit() && !done; p = ch.next(p)) {
          int len = rx.getInt(p);
          if (!ch.mine(p, s)) {
            continue;
          }
          int type = ch.type(p);
          interrupted |= (rx.getShort(p + 6) & Nl.NLM_F_DUMP_INTR) != 0;
          if (type == Nl.NLMSG_ERROR || type == Nl.NLMSG_DONE) {
            int err = len >= Nl.NLMSG_HDRLEN + 4 ? -rx.getInt(p + Nl.NLMSG_HDRLEN) : 0;
            if (err != 0) {
              throw KernelException.of(Subject.OTHER, operationName.get(), err, Framing.extAck(rx, p, len));
            }
            done = true;
          } else if (type == Nl.NLMSG_OVERRUN) {
            throw KernelException.of(Subject.OTHER, operationName.get() + ": netlink overrun", Errno.ENOBUFS, null);
          } else if (type != Nl.NLMSG_NOOP && !interrupted) {
            T v = decoder.decode(rx, p, len);
            if (v != null) {
              out.add(v);
            }
          }
        }
      }
      if (!interrupted) {
        return out;
      }
    }
    throw KernelException.of(Subject.OTHER, operationName.get() + ": dump inconsistent (NLM_F_DUMP_INTR) "
        + DUMP_ATTEMPTS + " times in a row", Errno.EAGAIN, null);
  }

  /**
   * Sends every message of {@code messages} (consecutive netlink messages) with NLM_F_ACK,
   * packed into as few datagrams as the send and receive buffers allow, and returns one
   * {@link Ack} per message in order. Messages are independent: the kernel handles each
   * even after another failed.
   */
  public List<Ack> batch(ByteBuffer messages) throws IOException {
    return NlBatch.run(ch, messages);
  }

  /**
   * Sends an nfnetlink batch (consecutive messages: NFNL_MSG_BATCH_BEGIN, the requests,
   * NFNL_MSG_BATCH_END) as ONE datagram, which the kernel runs as one transaction, and
   * returns one {@link Ack} per message in order. Every request gets NLM_F_ACK; begin and
   * end get none and read {@link Ack#OK} unless the kernel refused the whole batch, in
   * which case the begin message carries the error (ERESTART for a stale generation id)
   * and the requests read OK without having run: check the first ack first.
   *
   * @param operation what to call the batch in errors
   * @throws KernelException EMSGSIZE when the batch is larger than one datagram may be
   */
  public List<Ack> transaction(ByteBuffer messages, String operation) throws IOException {
    return NlTransaction.run(ch, messages, operation);
  }

  /** Joins a multicast group, for {@link #receiveEvents}. */
  public void joinGroup(int group) throws IOException {
    ch.transport().joinGroup(group);
  }

  /**
   * Waits at most {@code timeoutMillis} for one datagram of events and hands each message
   * to the sink; an ENOBUFS overrun is reported to the sink, not thrown.
   *
   * @return the number of messages delivered (0 on timeout or overrun)
   */
  public int receiveEvents(EventSink sink, int timeoutMillis) throws IOException {
    try {
      if (!ch.transport().receive(rx, timeoutMillis)) {
        return 0;
      }
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOBUFS) {
        sink.overrun();
        return 0;
      }
      throw e;
    }
    Framing.check(rx);
    int n = 0;
    for (int p = 0; p < rx.limit(); p = ch.next(p)) {
      sink.event(rx, p, rx.getInt(p));
      n++;
    }
    return n;
  }

  /**
   * From any thread: makes a {@link #receiveEvents} waiting on another thread return soon
   * (with nothing delivered but the kernel's ack of an empty request, an NLMSG_ERROR
   * message of error 0). Does nothing once closed.
   */
  public void wake() throws IOException {
    ch.transport().wake();
  }

  @Override
  public void close() throws IOException {
    ch.transport().close();
  }
}

package io.lbkit.netlink.internal;

import io.lbkit.api.Errno;
import io.lbkit.api.KernelException;
import io.lbkit.api.KernelException.Subject;
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
  static final int RECV_SIZE = 64 << 10;
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

  private final NlTransport transport;
  private final int timeoutMillis;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(RECV_SIZE).order(ByteOrder.nativeOrder());
  private int seq;

  private NetlinkSocket(NlTransport transport, int timeoutMillis) {
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
    this.seq = (int) (System.nanoTime() & 0x3fffffff) | 1;
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
    return transport.portId();
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
    int s = stamp(m, m.position(), Nl.NLM_F_ACK);
    send(m, operation);
    List<ByteBuffer> replies = new ArrayList<>(1);
    for (int d = 0; d < MAX_DATAGRAMS; d++) {
      receive(operation);
      for (int p = 0; p < rx.limit(); p = next(p)) {
        int len = rx.getInt(p);
        if (!mine(p, s)) {
          continue;
        }
        int type = rx.getShort(p + 4) & 0xffff;
        if (type == Nl.NLMSG_ERROR) {
          int err = errorOf(p, len);
          if (err == 0) {
            return replies;
          }
          throw KernelException.of(subject, operation, err, Framing.extAck(rx, p, len));
        } else if (type == Nl.NLMSG_DONE) {
          return replies;
        } else if (type == Nl.NLMSG_OVERRUN) {
          throw KernelException.of(Subject.OTHER, operation, Errno.ENOBUFS, "netlink overrun");
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
      int s = stamp(m, m.position(), 0);
      send(m, operationName);
      List<T> out = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      for (int d = 0; !done; d++) {
        if (d >= MAX_DATAGRAMS) {
          throw KernelException.of(Subject.OTHER, operationName.get() + ": dump longer than " + MAX_DATAGRAMS
              + " datagrams", Errno.EPROTO, null);
        }
        receive(operationName);
        for (int p = 0; p < rx.limit() && !done; p = next(p)) {
          int len = rx.getInt(p);
          if (!mine(p, s)) {
            continue;
          }
          int type = rx.getShort(p + 4) & 0xffff;
          interrupted |= (rx.getShort(p + 6) & Nl.NLM_F_DUMP_INTR) != 0;
          if (type == Nl.NLMSG_ERROR || type == Nl.NLMSG_DONE) {
            int err = len >= Nl.NLMSG_HDRLEN + 4 ? -rx.getInt(p + Nl.NLMSG_HDRLEN) : 0;
            if (err != 0) {
              throw KernelException.of(Subject.OTHER, operationName.get(), err, Framing.extAck(rx, p, len));
            }
            done = true;
          } else if (type == Nl.NLMSG_OVERRUN) {
            throw KernelException.of(Subject.OTHER, operationName.get(), Errno.ENOBUFS, "netlink overrun");
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
    throw KernelException.of(Subject.OTHER, operationName.get(), Errno.EAGAIN,
        "dump inconsistent (NLM_F_DUMP_INTR) " + DUMP_ATTEMPTS + " times in a row");
  }

  /**
   * Sends every message of {@code messages} (consecutive netlink messages) with NLM_F_ACK,
   * packed into as few datagrams as the send and receive buffers allow, and returns one
   * {@link Ack} per message in order. Messages are independent: the kernel handles each
   * even after another failed.
   */
  public List<Ack> batch(ByteBuffer messages) throws IOException {
    ByteBuffer b = messages.duplicate().order(ByteOrder.nativeOrder());
    List<int[]> spans = Framing.split(b);
    Ack[] acks = new Ack[spans.size()];
    int i = 0;
    while (i < spans.size()) {
      int start = spans.get(i)[0];
      int bytes = 0;
      int j = i;
      int first = seq + 1;
      while (j < spans.size() && j - i < transport.maxInFlight()
          && (j == i || bytes + spans.get(j)[1] <= transport.maxSend())) {
        bytes = spans.get(j)[0] + Nl.align(spans.get(j)[1]) - start;
        stamp(b, spans.get(j)[0], Nl.NLM_F_ACK);
        j++;
      }
      String operation = "netlink batch of " + (j - i) + " requests";
      send(b.duplicate().limit(start + bytes).position(start), operation);
      collectAcks(acks, i, j - i, first, operation);
      i = j;
    }
    return List.of(acks);
  }

  private void collectAcks(Ack[] acks, int base, int count, int firstSeq, String operation) throws IOException {
    int pending = count;
    for (int d = 0; pending > 0 && d < MAX_DATAGRAMS; d++) {
      try {
        receive(operation);
      } catch (KernelException e) {
        throw KernelException.of(Subject.OTHER, operation + ": " + pending + " of " + count + " acks lost",
            e.errno(), e.extAck());
      }
      for (int p = 0; p < rx.limit(); p = next(p)) {
        int len = rx.getInt(p);
        int k = rx.getInt(p + 8) - firstSeq;
        if (rx.getInt(p + 12) != transport.portId() || k < 0 || k >= count
            || (rx.getShort(p + 4) & 0xffff) != Nl.NLMSG_ERROR || acks[base + k] != null) {
          continue;
        }
        int err = errorOf(p, len);
        acks[base + k] = err == 0 ? Ack.OK : new Ack(err, Framing.extAck(rx, p, len));
        pending--;
      }
    }
  }

  /** Joins a multicast group, for {@link #receiveEvents}. */
  public void joinGroup(int group) throws IOException {
    transport.joinGroup(group);
  }

  /**
   * Waits at most {@code timeoutMillis} for one datagram of events and hands each message
   * to the sink; an ENOBUFS overrun is reported to the sink, not thrown.
   *
   * @return the number of messages delivered (0 on timeout or overrun)
   */
  public int receiveEvents(EventSink sink, int timeoutMillis) throws IOException {
    try {
      if (!transport.receive(rx, timeoutMillis)) {
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
    for (int p = 0; p < rx.limit(); p = next(p)) {
      sink.event(rx, p, rx.getInt(p));
      n++;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }

  private int stamp(ByteBuffer b, int at, int flags) throws ProtocolException {
    if (b.limit() - at < Nl.NLMSG_HDRLEN) {
      throw new ProtocolException("netlink request shorter than its header");
    }
    seq++;
    b.putShort(at + 6, (short) (b.getShort(at + 6) | Nl.NLM_F_REQUEST | flags));
    b.putInt(at + 8, seq);
    b.putInt(at + 12, transport.portId());
    return seq;
  }

  private void send(ByteBuffer m, String operation) throws IOException {
    send(m, (Supplier<String>) () -> operation);
  }

  private void send(ByteBuffer m, Supplier<String> operation) throws IOException {
    try {
      transport.send(m);
    } catch (KernelException e) {
      throw KernelException.of(Subject.OTHER, operation.get() + " (send)", e.errno(), e.extAck());
    }
  }

  private void receive(String operation) throws IOException {
    receive((Supplier<String>) () -> operation);
  }

  private void receive(Supplier<String> operation) throws IOException {
    boolean got;
    try {
      got = transport.receive(rx, timeoutMillis);
    } catch (KernelException e) {
      throw KernelException.of(Subject.OTHER, operation.get() + " (receive)", e.errno(), e.extAck());
    }
    if (!got) {
      throw KernelException.of(Subject.OTHER, operation.get(), Errno.ETIMEDOUT,
          "no reply from the kernel within " + timeoutMillis + " ms");
    }
    Framing.check(rx);
  }

  private boolean mine(int p, int s) {
    return rx.getInt(p + 8) == s && rx.getInt(p + 12) == transport.portId();
  }

  private int next(int p) {
    return p + Nl.align(rx.getInt(p));
  }

  private int errorOf(int p, int len) throws ProtocolException {
    if (len < Nl.NLMSG_HDRLEN + 4) {
      throw new ProtocolException("NLMSG_ERROR of " + len + " bytes has no error code");
    }
    return -rx.getInt(p + Nl.NLMSG_HDRLEN);
  }
}

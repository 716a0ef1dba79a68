package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.KernelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A fake kernel at the byte level for the socket layer's tests: every request message
 * sent is handed to a {@link Responder}, whose replies (data, acks, errors with an
 * extended-ack text, dump parts and NLMSG_DONE) are packed into datagrams of at most
 * {@link #datagramSize} bytes as the kernel would. It can fail the next receive with
 * ENOBUFS, stay silent (a receive then times out at once, no sleeping), and inject
 * stray messages. Acks are capped (NETLINK_CAP_ACK), as on a real lbkit socket.
 */
public final class FakeKernel implements NlTransport {

  /** One request as the kernel sees it. */
  public record Request(int type, int flags, int seq, int pid, ByteBuffer message) {
    /** The generic netlink command (first payload byte). */
    public int genlCmd() {
      return message.get(Nl.NLMSG_HDRLEN) & 0xff;
    }

    /** The attributes after a header of {@code familyHeader} bytes. */
    public NlAttrs attrs(int familyHeader, int maxType) throws java.net.ProtocolException {
      return NlAttrs.parse(message, Nl.NLMSG_HDRLEN + familyHeader, message.limit(), maxType);
    }
  }

  /** Answers requests. */
  @FunctionalInterface
  public interface Responder {
    /** Answers {@code r} by calling methods of {@code out}. */
    void answer(Request r, FakeKernel out);
  }

  private final int portId;
  private final Deque<ByteBuffer> datagrams = new ArrayDeque<>();
  private final List<byte[]> pending = new ArrayList<>();
  /** Largest datagram the fake builds. */
  public int datagramSize = 8192;
  /** Largest batch accepted. */
  public int maxSend = 1 << 20;
  /** Ack budget. */
  public int maxInFlight = 1024;
  /** When set, the next receive throws this errno (e.g. ENOBUFS) once. */
  public int failNextReceive;
  /** Every request seen, in order. */
  public final List<Request> requests = new ArrayList<>();
  /** Number of send calls (datagrams sent to the kernel). */
  public int sends;
  /** Groups joined. */
  public final List<Integer> groups = new ArrayList<>();
  private Responder responder;
  private Request current;

  /** A fake with port id {@code portId} answering with {@code responder}. */
  public FakeKernel(int portId, Responder responder) {
    this.portId = portId;
    this.responder = responder;
  }

  /** Replaces the responder. */
  public void respondWith(Responder r) {
    this.responder = r;
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public int maxSend() {
    return maxSend;
  }

  @Override
  public int maxInFlight() {
    return maxInFlight;
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    sends++;
    if (datagram.remaining() > maxSend) {
      throw KernelException.of(KernelException.Subject.OTHER, "sendmsg", io.lbkit.api.kernel.Errno.EMSGSIZE, null);
    }
    ByteBuffer b = ByteBuffer.allocate(datagram.remaining()).order(ByteOrder.nativeOrder());
    b.put(datagram.duplicate()).flip();
    for (int[] span : Framing.split(b)) {
      ByteBuffer m = ByteBuffer.allocate(span[1]).order(ByteOrder.nativeOrder());
      m.put(b.duplicate().position(span[0]).limit(span[0] + span[1])).flip();
      current = new Request(m.getShort(4) & 0xffff, m.getShort(6) & 0xffff, m.getInt(8), m.getInt(12), m);
      requests.add(current);
      responder.answer(current, this);
    }
    flush();
  }

  @Override
  public boolean receive(ByteBuffer into, int timeoutMillis) throws IOException {
    if (failNextReceive != 0) {
      int e = failNextReceive;
      failNextReceive = 0;
      datagrams.clear();
      throw KernelException.of(KernelException.Subject.OTHER, "recvfrom", e, null);
    }
    ByteBuffer d = datagrams.poll();
    if (d == null) {
      return false;
    }
    into.clear();
    into.put(d).flip();
    return true;
  }

  @Override
  public void joinGroup(int group) {
    groups.add(group);
  }

  @Override
  public void close() {}

  /** Replies to the current request with a data message of {@code payload}. */
  public void data(int type, int flags, byte[] payload) {
    raw(type, flags, current.seq(), portId, payload);
  }

  /** Replies with an ack (error 0). */
  public void ack() {
    error(0, null);
  }

  /** Replies with NLMSG_ERROR {@code errno} and an optional extended-ack text. */
  public void error(int errno, String extAck) {
    ByteBuffer p = ByteBuffer.allocate(4 + Nl.NLMSG_HDRLEN + 64 + (extAck == null ? 0 : extAck.length()))
        .order(ByteOrder.nativeOrder());
    p.putInt(-errno);
    p.put(current.message().duplicate().limit(Nl.NLMSG_HDRLEN));
    int flags = Nl.NLM_F_CAPPED;
    if (extAck != null) {
      flags |= Nl.NLM_F_ACK_TLVS;
      byte[] t = extAck.getBytes(StandardCharsets.US_ASCII);
      p.putShort((short) (4 + t.length + 1)).putShort((short) Nl.NLMSGERR_ATTR_MSG).put(t).put((byte) 0);
      while ((p.position() & 3) != 0) {
        p.put((byte) 0);
      }
    }
    byte[] bytes = new byte[p.position()];
    p.flip().get(bytes);
    raw(Nl.NLMSG_ERROR, flags, current.seq(), portId, bytes);
  }

  /** Ends a dump (NLMSG_DONE with error 0, or -errno), with extra flags such as NLM_F_DUMP_INTR. */
  public void done(int errno, int flags) {
    ByteBuffer p = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(-errno);
    raw(Nl.NLMSG_DONE, Nl.NLM_F_MULTI | flags, current.seq(), portId, p.array());
  }

  /** Queues any message with explicit sequence number and port id (strays, events). */
  public void raw(int type, int flags, int seq, int pid, byte[] payload) {
    ByteBuffer m = ByteBuffer.allocate(Nl.align(Nl.NLMSG_HDRLEN + payload.length)).order(ByteOrder.nativeOrder());
    m.putInt(Nl.NLMSG_HDRLEN + payload.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid)
        .put(payload);
    pending.add(m.array());
  }

  /** Queues raw bytes as one datagram of their own (for malformed input). */
  public void datagram(byte[] bytes) {
    flush();
    datagrams.add(ByteBuffer.wrap(bytes));
  }

  /** Packs the queued messages into datagrams. */
  public void flush() {
    ByteBuffer d = null;
    for (byte[] m : pending) {
      if (d != null && d.remaining() < m.length) {
        datagrams.add(d.flip());
        d = null;
      }
      if (d == null) {
        d = ByteBuffer.allocate(Math.max(datagramSize, m.length));
      }
      d.put(m);
    }
    if (d != null) {
      datagrams.add(d.flip());
    }
    pending.clear();
  }

  /** Datagrams not yet received. */
  public int queued() {
    return datagrams.size();
  }
}

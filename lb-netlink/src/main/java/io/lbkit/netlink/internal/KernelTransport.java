package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * A real AF_NETLINK socket: extended acks and capped acks on, receive buffer sized for
 * bulk work (SO_RCVBUFFORCE when permitted, else SO_RCVBUF up to the system maximum),
 * and only datagrams from the kernel (port 0) accepted. Internal.
 */
public final class KernelTransport implements NlTransport {
  /** Receive buffer asked for: 8 MiB (the kernel doubles it for bookkeeping). */
  static final int RCVBUF = 8 << 20;
  /** Send buffer asked for: 4 MiB. */
  static final int SNDBUF = 4 << 20;
  /** The largest batch datagram we send, whatever SO_SNDBUF allows. */
  static final int MAX_SEND = 1 << 20;
  /** Receive-buffer bytes an ack costs at most (skb truesize of a small message). */
  static final int ACK_COST = 2048;

  private final int fd;
  private final int portId;
  private final int maxSend;
  private final int maxInFlight;
  private final NativeMsg io;
  /** The second datagram of the last read, not yet handed out (length -1: none). */
  private ByteBuffer spare;
  private int pendingLength = -1;
  private boolean pendingFromKernel;
  private boolean closed;

  private KernelTransport(int fd, int portId, int maxSend, int maxInFlight) {
    this.fd = fd;
    this.portId = portId;
    this.maxSend = maxSend;
    this.maxInFlight = maxInFlight;
    this.io = new NativeMsg(fd);
  }

  /** Opens a netlink socket of {@code protocol} (e.g. {@link Nl#NETLINK_GENERIC}) in the current namespace. */
  public static KernelTransport open(int protocol) throws IOException {
    int fd = Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW, protocol);
    try {
      optional(fd, Syscalls.SOL_NETLINK, Nl.NETLINK_EXT_ACK, "NETLINK_EXT_ACK");
      optional(fd, Syscalls.SOL_NETLINK, Nl.NETLINK_CAP_ACK, "NETLINK_CAP_ACK");
      bufferSize(fd, Syscalls.SO_RCVBUFFORCE, Syscalls.SO_RCVBUF, RCVBUF, "SO_RCVBUF");
      bufferSize(fd, Syscalls.SO_SNDBUFFORCE, Syscalls.SO_SNDBUF, SNDBUF, "SO_SNDBUF");
      Syscalls.bind(fd, new LibC.SockaddrNl());
      LibC.SockaddrNl self = new LibC.SockaddrNl();
      Syscalls.getsockname(fd, self);
      int rcv = Syscalls.getsockoptInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, "SO_RCVBUF");
      int snd = Syscalls.getsockoptInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUF, "SO_SNDBUF");
      return new KernelTransport(fd, self.nl_pid, Math.min(MAX_SEND, snd - 64), Math.max(8, rcv / ACK_COST));
    } catch (IOException | RuntimeException e) {
      Syscalls.close(fd);
      throw e;
    }
  }

  private static void optional(int fd, int level, int opt, String what) throws KernelException {
    try {
      Syscalls.setsockopt(fd, level, opt, 1, what);
    } catch (KernelException e) {
      if (e.errno() != Errno.ENOPROTOOPT) {
        throw e;
      }
    }
  }

  private static void bufferSize(int fd, int force, int plain, int size, String what) throws KernelException {
    try {
      Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, force, size, what + "FORCE");
    } catch (KernelException e) {
      if (e.errno() != Errno.EPERM) {
        throw e;
      }
      Syscalls.setsockopt(fd, Syscalls.SOL_SOCKET, plain, size, what);
    }
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

  /**
   * The descriptor (for poll loops of callers that multiplex). A datagram may already be
   * held by this transport (the second of a two-datagram read), which poll does not see:
   * call {@link #receive} with a timeout of 0 before waiting on the descriptor.
   */
  public int fd() {
    return fd;
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    int want = datagram.remaining();
    int n = io.send(datagram);
    if (n != want) {
      throw new ProtocolException("netlink sendmsg sent " + n + " of " + want + " bytes");
    }
  }

  /**
   * Reads without waiting first: the kernel answers a request, and queues the next part of
   * a dump, while the sendmsg or the previous read runs, so a poll per datagram would
   * mostly be a wasted syscall. Only when nothing is queued does it poll, within the
   * deadline. One read takes up to two datagrams; the second is kept and handed out by the
   * next call without a syscall.
   */
  @Override
  public boolean receive(ByteBuffer into, int timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      if (pendingLength >= 0) {
        int n = pendingLength;
        pendingLength = -1;
        checkLength(n, into.capacity());
        if (pendingFromKernel) {
          into.clear();
          into.put(spare.duplicate().position(0).limit(n)).flip();
          return true;
        }
        continue; // not from the kernel: ignored
      }
      if (spare == null || spare.capacity() != into.capacity()) {
        spare = ByteBuffer.allocateDirect(into.capacity());
      }
      int got = io.receive(into, spare, Syscalls.MSG_DONTWAIT | Syscalls.MSG_TRUNC);
      if (got > 1) {
        pendingLength = io.length(1);
        pendingFromKernel = io.senderPort(1) == 0;
      }
      if (got > 0) {
        checkLength(io.length(0), into.capacity());
        if (io.senderPort(0) == 0) {
          into.position(0);
          return true;
        }
      }
      // nothing queued, or a datagram not from the kernel (ignored): wait within the deadline
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left < 0 || got == 0 && !io.pollIn((int) left)) {
        return false;
      }
    }
  }

  private static void checkLength(int n, int capacity) throws ProtocolException {
    if (n > capacity) {
      throw new ProtocolException("netlink datagram of " + n + " bytes truncated to " + capacity);
    }
  }

  @Override
  public void joinGroup(int group) throws IOException {
    Syscalls.setsockopt(fd, Syscalls.SOL_NETLINK, Nl.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP "
        + group);
  }

  /**
   * Sends NLMSG_NOOP with NLM_F_ACK on the descriptor itself (not through the buffers the
   * receiving thread uses): the kernel acks it at once, and the ack wakes a receive. Under
   * the same lock as {@link #close}, so it never writes to a descriptor number already
   * closed and perhaps reused.
   */
  @Override
  public synchronized void wake() throws IOException {
    if (closed) {
      return;
    }
    ByteBuffer m = ByteBuffer.allocateDirect(Nl.NLMSG_HDRLEN).order(java.nio.ByteOrder.nativeOrder());
    m.putInt(Nl.NLMSG_HDRLEN).putShort((short) Nl.NLMSG_NOOP).putShort((short) (Nl.NLM_F_REQUEST | Nl.NLM_F_ACK))
        .putInt(0).putInt(portId).flip();
    Syscalls.sendto(fd, m, 0, new LibC.SockaddrNl());
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      Syscalls.close(fd);
    }
  }
}

package io.lbkit.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One netlink descriptor's native message headers, allocated once and reused for every
 * datagram: a {@code msghdr} + {@code iovec} + {@code sockaddr_nl} for sending (addressed
 * to the kernel, port 0), two {@code mmsghdr}s with theirs for receiving (the senders'
 * addresses are read back) and a {@code pollfd}. A dump of 1,000 services reads
 * thousands of datagrams; fresh JNA Structures per datagram (reflection, malloc, a
 * cleaner each) cost more than the syscalls. The fields are written through a direct {@link ByteBuffer} view of the block
 * (no JNI call per field) and the calls go through {@link LibC.Direct}. Sends and
 * receives use separate headers; each direction must be used by one thread at a time.
 * Layouts are those of 64-bit Linux (x86-64, aarch64). Internal.
 */
final class NativeMsg {
  /** {@code sizeof(struct msghdr)}. */
  static final int MSGHDR_SIZE = 56;
  /** {@code sizeof(struct mmsghdr)}: a msghdr, the received length, padding. */
  static final int MMSGHDR_SIZE = 64;
  /** Datagrams one receive call may take. */
  static final int SLOTS = 2;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_LEN = MSGHDR_SIZE;
  private static final int SOCKADDR_NL_SIZE = 12;
  /** Sending: msghdr, iovec, sockaddr_nl (padded to 8). */
  private static final int SEND = 0;
  private static final int SEND_IOV = SEND + MSGHDR_SIZE;
  private static final int SEND_ADDR = SEND_IOV + 16;
  /** Receiving: SLOTS mmsghdrs, then their iovecs, then their sockaddr_nls. */
  private static final int RECV = SEND_ADDR + 16;
  private static final int RECV_IOV = RECV + SLOTS * MMSGHDR_SIZE;
  private static final int RECV_ADDR = RECV_IOV + SLOTS * 16;
  private static final int POLL = RECV_ADDR + SLOTS * 16;
  private static final int SIZE = POLL + 8;

  private final int fd;
  private final ByteBuffer block = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
  private final Pointer sendMsg;
  private final Pointer recvMsgs;
  private final Pointer pollFd;
  private final ByteBuffer[] rxBuffers = new ByteBuffer[SLOTS];

  NativeMsg(int fd) {
    this.fd = fd;
    Pointer base = Native.getDirectBufferPointer(block);
    long addr = Pointer.nativeValue(base);
    header(SEND, addr + SEND_IOV, addr + SEND_ADDR);
    block.putShort(SEND_ADDR, (short) Syscalls.AF_NETLINK);
    for (int i = 0; i < SLOTS; i++) {
      header(RECV + i * MMSGHDR_SIZE, addr + RECV_IOV + i * 16, addr + RECV_ADDR + i * 16);
    }
    block.putInt(POLL, fd);
    block.putShort(POLL + 4, Syscalls.POLLIN);
    sendMsg = base.share(SEND);
    recvMsgs = base.share(RECV);
    pollFd = base.share(POLL);
  }

  private void header(int at, long iov, long name) {
    block.putLong(at + MSG_NAME, name);
    block.putInt(at + MSG_NAMELEN, SOCKADDR_NL_SIZE);
    block.putLong(at + MSG_IOV, iov);
    block.putLong(at + MSG_IOVLEN, 1);
  }

  /**
   * sendmsg(2) of the direct buffer's bytes between position and limit as one datagram
   * to the kernel; the position advances by what was sent.
   */
  int send(ByteBuffer buf) throws KernelException {
    block.putLong(SEND_IOV, address(buf) + buf.position());
    block.putLong(SEND_IOV + 8, buf.remaining());
    block.putInt(SEND + MSG_NAMELEN, SOCKADDR_NL_SIZE);
    for (int i = 0; ; i++) {
      try {
        int n = (int) LibC.Direct.sendmsg(fd, sendMsg, 0);
        buf.position(buf.position() + n);
        return n;
      } catch (LastErrorException e) {
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("sendmsg", e.getErrorCode());
        }
      }
    }
  }

  /**
   * recvmmsg(2) with {@code flags} of up to {@link #SLOTS} datagrams, the first into
   * {@code first}, the second into {@code second} (each cleared first; their limits are
   * set to what arrived). One call takes both parts of a small dump: the kernel queues a
   * dump's next datagram (often just NLMSG_DONE) while the previous one is being read, so
   * the second slot saves a syscall per dump.
   *
   * @return the number of datagrams received; 0 when MSG_DONTWAIT is passed and nothing
   *     is queued. {@link #length} and {@link #senderPort} describe each.
   */
  int receive(ByteBuffer first, ByteBuffer second, int flags) throws KernelException {
    slot(0, first);
    slot(1, second);
    for (int i = 0; ; i++) {
      try {
        int n = LibC.Direct.recvmmsg(fd, recvMsgs, SLOTS, flags, null);
        first.limit(n > 0 ? Math.min(length(0), first.capacity()) : 0);
        second.limit(n > 1 ? Math.min(length(1), second.capacity()) : 0);
        return n;
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == Errno.EAGAIN && (flags & Syscalls.MSG_DONTWAIT) != 0) {
          first.limit(0);
          second.limit(0);
          return 0;
        }
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("recvmmsg", errno);
        }
      }
    }
  }

  private void slot(int i, ByteBuffer buf) {
    int at = RECV + i * MMSGHDR_SIZE;
    if (buf != rxBuffers[i]) {
      block.putLong(RECV_IOV + i * 16, address(buf));
      block.putLong(RECV_IOV + i * 16 + 8, buf.capacity());
      rxBuffers[i] = buf;
    }
    buf.clear();
    block.putInt(at + MSG_NAMELEN, SOCKADDR_NL_SIZE);
    block.putInt(at + MSG_LEN, 0);
    block.putInt(RECV_ADDR + i * 16 + 4, -1);
  }

  /** The real length of the datagram in slot {@code i} (above the capacity when it was truncated). */
  int length(int i) {
    return block.getInt(RECV + i * MMSGHDR_SIZE + MSG_LEN);
  }

  /** The port id of the sender of the datagram in slot {@code i} (0: the kernel). */
  int senderPort(int i) {
    return block.getInt(RECV_ADDR + i * 16 + 4);
  }

  /** poll(2) for POLLIN: true when readable, false on timeout. */
  boolean pollIn(int timeoutMillis) throws KernelException {
    for (int i = 0; ; i++) {
      try {
        return LibC.Direct.poll(pollFd, 1, timeoutMillis) > 0;
      } catch (LastErrorException e) {
        if (!Syscalls.retryable(e, i)) {
          throw Syscalls.error("poll", e.getErrorCode());
        }
      }
    }
  }

  private static long address(ByteBuffer buf) {
    if (!buf.isDirect()) {
      throw new IllegalArgumentException("native I/O needs a direct ByteBuffer");
    }
    return Pointer.nativeValue(Native.getDirectBufferPointer(buf));
  }
}

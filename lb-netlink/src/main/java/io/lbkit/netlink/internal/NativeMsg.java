package io.lbkit.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.lbkit.api.Errno;
import io.lbkit.api.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One netlink descriptor's native message headers, allocated once and reused for every
 * datagram: a {@code msghdr} + {@code iovec} + {@code sockaddr_nl} for sending (addressed
 * to the kernel, port 0), the same for receiving (the sender's address is read back) and a
 * {@code pollfd}. A dump of 1,000 services reads thousands of datagrams; fresh JNA
 * Structures per datagram (reflection, malloc, a cleaner each) cost more than the
 * syscalls. The fields are written through a direct {@link ByteBuffer} view of the block
 * (no JNI call per field) and the calls go through {@link LibC.Direct}. Sends and
 * receives use separate headers; each direction must be used by one thread at a time.
 * Layouts are those of 64-bit Linux (x86-64, aarch64). Internal.
 */
final class NativeMsg {
  /** {@code sizeof(struct msghdr)}. */
  static final int MSGHDR_SIZE = 56;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_FLAGS = 48;
  private static final int IOV = MSGHDR_SIZE;
  private static final int ADDR = IOV + 16;
  private static final int SOCKADDR_NL_SIZE = 12;
  /** One direction: msghdr, iovec, sockaddr_nl (padded to 8). */
  private static final int DIRECTION = ADDR + 16;
  private static final int SEND = 0;
  private static final int RECV = DIRECTION;
  private static final int POLL = 2 * DIRECTION;
  private static final int SIZE = POLL + 8;

  private final int fd;
  private final ByteBuffer block = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
  private final Pointer sendMsg;
  private final Pointer recvMsg;
  private final Pointer pollFd;
  private ByteBuffer rxBuffer;
  private long rxAddress;

  NativeMsg(int fd) {
    this.fd = fd;
    Pointer base = Native.getDirectBufferPointer(block);
    long addr = Pointer.nativeValue(base);
    for (int d : new int[] {SEND, RECV}) {
      block.putLong(d + MSG_NAME, addr + d + ADDR);
      block.putInt(d + MSG_NAMELEN, SOCKADDR_NL_SIZE);
      block.putLong(d + MSG_IOV, addr + d + IOV);
      block.putLong(d + MSG_IOVLEN, 1);
      block.putShort(d + ADDR, (short) Syscalls.AF_NETLINK);
    }
    block.putInt(POLL, fd);
    block.putShort(POLL + 4, Syscalls.POLLIN);
    sendMsg = base.share(SEND);
    recvMsg = base.share(RECV);
    pollFd = base.share(POLL);
  }

  /**
   * sendmsg(2) of the direct buffer's bytes between position and limit as one datagram
   * to the kernel; the position advances by what was sent.
   */
  int send(ByteBuffer buf) throws KernelException {
    block.putLong(SEND + IOV, address(buf) + buf.position());
    block.putLong(SEND + IOV + 8, buf.remaining());
    block.putInt(SEND + MSG_NAMELEN, SOCKADDR_NL_SIZE);
    for (int i = 0; ; i++) {
      try {
        int n = (int) LibC.Direct.sendmsg(fd, sendMsg, 0);
        buf.position(buf.position() + n);
        return n;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINTR || i >= Syscalls.EINTR_RETRIES) {
          throw Syscalls.error("sendmsg", e.getErrorCode());
        }
      }
    }
  }

  /**
   * recvmsg(2) with {@code flags} into {@code buf} (cleared first). Returns the datagram's
   * real length (more than the capacity when MSG_TRUNC is passed and it did not fit), or
   * -1 when MSG_DONTWAIT is passed and nothing is queued. On return the limit is the end
   * of the received bytes and {@link #senderPort} the sender's port id.
   */
  int receive(ByteBuffer buf, int flags) throws KernelException {
    if (buf != rxBuffer) {
      rxAddress = address(buf);
      rxBuffer = buf;
    }
    buf.clear();
    block.putLong(RECV + IOV, rxAddress);
    block.putLong(RECV + IOV + 8, buf.capacity());
    block.putInt(RECV + MSG_NAMELEN, SOCKADDR_NL_SIZE);
    block.putInt(RECV + ADDR + 4, -1);
    for (int i = 0; ; i++) {
      try {
        int n = (int) LibC.Direct.recvmsg(fd, recvMsg, flags);
        buf.limit(Math.min(n, buf.capacity()));
        return n;
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == Errno.EAGAIN && (flags & Syscalls.MSG_DONTWAIT) != 0) {
          buf.limit(0);
          return -1;
        }
        if (errno != Errno.EINTR || i >= Syscalls.EINTR_RETRIES) {
          throw Syscalls.error("recvmsg", errno);
        }
      }
    }
  }

  /** The port id of the last received datagram's sender (0: the kernel). */
  int senderPort() {
    return block.getInt(RECV + ADDR + 4);
  }

  /** poll(2) for POLLIN: true when readable, false on timeout. */
  boolean pollIn(int timeoutMillis) throws KernelException {
    for (int i = 0; ; i++) {
      try {
        return LibC.Direct.poll(pollFd, 1, timeoutMillis) > 0;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EINTR || i >= Syscalls.EINTR_RETRIES) {
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

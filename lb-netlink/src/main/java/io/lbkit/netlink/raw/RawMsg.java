package io.lbkit.netlink.raw;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.lbkit.api.kernel.Errno;
import io.lbkit.netlink.internal.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One raw socket's receive headers, allocated once and reused for every packet: a
 * {@code msghdr}, its {@code iovec}, a {@code sockaddr_in6}-sized name, 256 bytes of
 * ancillary data and a {@code pollfd}, all in one direct block written through a
 * {@link ByteBuffer} view; recvmsg(2), poll(2) and clock_gettime(2) are JNA direct mappings. A VRRP packet
 * thus costs no JNA Structure, reflection or native allocation. Also reads the kernel's
 * receive time (SO_TIMESTAMPNS) from the ancillary data. One receiving thread at a time.
 * Layouts are those of 64-bit Linux (x86-64, aarch64).
 */
final class RawMsg {
  static final int SOL_SOCKET = 1;
  /** SO_TIMESTAMPNS, also the type of its control message (SCM_TIMESTAMPNS), on 64-bit Linux. */
  static final int SO_TIMESTAMPNS = 35;
  /** A kernel receive time further than this from the clock is not believed (a wall-clock step). */
  static final long MAX_AGE_NANOS = 1_000_000_000L;
  private static final int MSGHDR = 0;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_CONTROL = 32;
  static final int MSG_CONTROLLEN = 40;
  private static final int MSG_FLAGS = 48;
  private static final int IOV = 56;
  private static final int NAME = IOV + 16;
  private static final int NAME_SIZE = 28;
  private static final int POLL = NAME + 32;
  /** Ancillary data, 8-aligned. */
  static final int CONTROL = POLL + 8;
  static final int CONTROL_SIZE = 256;
  /** A {@code struct timespec} for clock_gettime(2). */
  private static final int TIMESPEC = CONTROL + CONTROL_SIZE;
  private static final int SIZE = TIMESPEC + 16;
  private static final int CLOCK_REALTIME = 0;

  static {
    Native.register(RawMsg.class, LibC.NAME);
  }

  private static native long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

  private static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

  private static native int clock_gettime(int clockId, Pointer timespec) throws LastErrorException;

  /** The block; name bytes at {@link #nameOffset()}, ancillary data at {@link #CONTROL}. */
  final ByteBuffer block = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
  private final Pointer msg;
  private final Pointer pollFd;
  private final Pointer timespec;

  RawMsg(int fd, ByteBuffer data) {
    Pointer base = Native.getDirectBufferPointer(block);
    long addr = Pointer.nativeValue(base);
    block.putLong(MSGHDR + MSG_NAME, addr + NAME);
    block.putLong(MSGHDR + MSG_IOV, addr + IOV);
    block.putLong(MSGHDR + MSG_IOVLEN, 1);
    block.putLong(MSGHDR + MSG_CONTROL, addr + CONTROL);
    block.putLong(IOV, Pointer.nativeValue(Native.getDirectBufferPointer(data)));
    block.putLong(IOV + 8, data.capacity());
    block.putInt(POLL, fd);
    block.putShort(POLL + 4, (short) 1); // POLLIN
    msg = base.share(MSGHDR);
    pollFd = base.share(POLL);
    timespec = base.share(TIMESPEC);
  }

  /** Registers the natives now (class initialisation), not in a time-critical first call. */
  static void link() {
    // class initialisation does the work
  }

  /** poll(2) for POLLIN: true when readable; false on timeout. EINTR is reported as a timeout. */
  boolean pollIn(int timeoutMillis) throws LastErrorException {
    try {
      return poll(pollFd, 1, timeoutMillis) > 0;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EINTR) { // reported as a timeout: the caller polls again
        return false;
      }
      throw e;
    }
  }

  /**
   * recvmsg(2) with {@code flags} into the data buffer given at construction.
   *
   * @return the datagram's length, or -1 if none is queued (EAGAIN under MSG_DONTWAIT)
   * @throws LastErrorException for any other error (EINTR included; the caller retries)
   */
  long receive(int fd, int flags) throws LastErrorException {
    block.putInt(MSGHDR + MSG_NAMELEN, NAME_SIZE);
    block.putLong(MSGHDR + MSG_CONTROLLEN, CONTROL_SIZE);
    block.putInt(MSGHDR + MSG_FLAGS, 0);
    try {
      return recvmsg(fd, msg, flags);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EAGAIN) {
        return -1;
      }
      throw e;
    }
  }

  static int nameOffset() {
    return NAME;
  }

  /** Bytes of ancillary data the last receive filled in. */
  long controlLength() {
    return block.getLong(MSGHDR + MSG_CONTROLLEN);
  }

  /**
   * When the kernel queued the last packet, on {@link System#nanoTime()}'s scale: its
   * SO_TIMESTAMPNS wall-clock time carried over to the monotonic clock by their offset
   * now. {@code readNanos} (the time it was read) if there is no timestamp, or if it is
   * in the future or more than {@link #MAX_AGE_NANOS} old (the wall clock stepped).
   */
  long kernelTime(long readNanos) {
    long stamp = timestamp(block, CONTROL, Math.min(controlLength(), CONTROL_SIZE));
    if (stamp == Long.MIN_VALUE) {
      return readNanos;
    }
    long wall = wallNanos(block, TIMESPEC, timespec);
    if (wall == Long.MIN_VALUE) {
      return readNanos;
    }
    return fromAge(wall - stamp, System.nanoTime(), readNanos);
  }

  /**
   * The wall clock now, nanoseconds since the epoch, or Long.MIN_VALUE if it cannot be read:
   * clock_gettime(2) into the {@code struct timespec} at {@code offset} in {@code block}, to
   * which {@code timespec} points (Instant.now() would allocate an Instant per packet under C1).
   */
  static long wallNanos(ByteBuffer block, int offset, Pointer timespec) {
    try {
      clock_gettime(CLOCK_REALTIME, timespec);
    } catch (LastErrorException e) {
      return Long.MIN_VALUE;
    }
    return block.getLong(offset) * 1_000_000_000L + block.getLong(offset + 8);
  }

  /**
   * The SCM_TIMESTAMPNS time (wall-clock nanoseconds since the epoch) in the {@code length}
   * bytes of ancillary data at {@code control} in {@code b}, or Long.MIN_VALUE if there is none.
   */
  static long timestamp(ByteBuffer b, int control, long length) {
    for (long off = 0; off + 16 <= length; ) {
      long len = b.getLong(control + (int) off);
      if (len < 16) {
        break;
      }
      if (b.getInt(control + (int) off + 8) == SOL_SOCKET && b.getInt(control + (int) off + 12) == SO_TIMESTAMPNS
          && off + 32 <= length) {
        return b.getLong(control + (int) off + 16) * 1_000_000_000L + b.getLong(control + (int) off + 24);
      }
      off += (len + 7) & ~7L;
    }
    return Long.MIN_VALUE;
  }

  /**
   * {@code monoNanos - ageNanos}: a packet's arrival on the monotonic clock from its age on the
   * wall clock; {@code readNanos} if the age is negative or more than {@link #MAX_AGE_NANOS}
   * (the wall clock stepped).
   */
  static long fromAge(long ageNanos, long monoNanos, long readNanos) {
    return ageNanos < 0 || ageNanos > MAX_AGE_NANOS ? readNanos : monoNanos - ageNanos;
  }
}

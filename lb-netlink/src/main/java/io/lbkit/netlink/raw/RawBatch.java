package io.lbkit.netlink.raw;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.lbkit.api.kernel.Errno;
import io.lbkit.netlink.internal.LibC;
import io.lbkit.netlink.internal.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One raw socket's headers for reading what is queued in one recvmmsg(2): {@link #SLOTS}
 * {@code mmsghdr}s with their iovecs, names and ancillary data in one direct block
 * (written through a {@link ByteBuffer} view, as {@link RawMsg}'s), and a data buffer of
 * {@link #DATA_SIZE} bytes per slot. A burst of adverts drained this way costs one system
 * call per {@link #SLOTS} packets instead of one per packet and one more that finds the
 * queue empty (a short count says it is empty), and one wall-clock reading for the batch
 * instead of one per packet. The data buffers are native memory that is not zeroed, so
 * only the pages packets were written to are resident. One receiving thread at a time;
 * layouts are those of 64-bit Linux (x86-64, aarch64).
 */
final class RawBatch {
  /** Datagrams read per call at most. */
  static final int SLOTS = 16;
  /**
   * Bytes per datagram: more than a VRRP packet can have (IPv4: 60 + 8 + 255 * 4 + 8;
   * IPv6 payload 8 + 255 * 16); a longer datagram is cut (MSG_TRUNC) and not handed on.
   */
  static final int DATA_SIZE = 8192;
  static final int MSG_TRUNC = 0x20;
  private static final int MMSGHDR = 64; // struct msghdr (56) + msg_len (4) + padding
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_CONTROL = 32;
  private static final int MSG_CONTROLLEN = 40;
  private static final int MSG_FLAGS = 48;
  private static final int MSG_LEN = 56;
  private static final int IOVS = SLOTS * MMSGHDR;
  private static final int NAME_SIZE = 28;
  private static final int NAMES = IOVS + SLOTS * 16;
  private static final int CONTROLS = NAMES + SLOTS * 32;
  private static final int TIMESPEC = CONTROLS + SLOTS * RawMsg.CONTROL_SIZE;
  private static final int SIZE = TIMESPEC + 16;

  static {
    Native.register(RawBatch.class, LibC.NAME);
  }

  /**
   * Mapped without LastErrorException: errno is read from JNA's preserved last error, since
   * EAGAIN ends many drains and a LastErrorException (a Throwable with its stack trace) each
   * time cost the receive thread more than reading the burst in one wake-up saved.
   */
  private static native int recvmmsg(int fd, Pointer vec, int vlen, int flags, Pointer timeout);

  /** The headers; a slot's name at {@link #nameOffset}, its ancillary data at {@link #controlOffset}. */
  final ByteBuffer block = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
  private final Memory data = new Memory((long) SLOTS * DATA_SIZE);
  private final ByteBuffer[] datas = new ByteBuffer[SLOTS];
  private final ByteBuffer[] payloads = new ByteBuffer[SLOTS];
  private final Pointer vec;
  private final Pointer timespec;
  /** Slots whose headers the kernel may have written since they were reset. */
  private int written = SLOTS;
  /** The wall clock and the monotonic clock read once after the last call, or Long.MIN_VALUE. */
  private long wallNanos = Long.MIN_VALUE;
  private long monoNanos;

  RawBatch() {
    Pointer base = Native.getDirectBufferPointer(block);
    long addr = Pointer.nativeValue(base);
    for (int i = 0; i < SLOTS; i++) {
      int h = i * MMSGHDR;
      block.putLong(h, addr + nameOffset(i));
      block.putLong(h + MSG_IOV, addr + IOVS + i * 16L);
      block.putLong(h + MSG_IOVLEN, 1);
      block.putLong(h + MSG_CONTROL, addr + controlOffset(i));
      block.putLong(IOVS + i * 16, Pointer.nativeValue(data) + (long) i * DATA_SIZE);
      block.putLong(IOVS + i * 16 + 8, DATA_SIZE);
      datas[i] = data.getByteBuffer((long) i * DATA_SIZE, DATA_SIZE);
      payloads[i] = datas[i].asReadOnlyBuffer();
    }
    vec = base;
    timespec = base.share(TIMESPEC);
  }

  /**
   * recvmmsg(2) with MSG_DONTWAIT for at most {@code max} (at most {@link #SLOTS}) datagrams.
   *
   * @return how many were read (fewer than {@code max}: the queue is empty now), or -1 when
   *     none was queued (EAGAIN, without an exception)
   * @throws LastErrorException for any other error (EINTR included; the caller retries)
   */
  int receiveQueued(int fd, int max) throws LastErrorException {
    for (int i = 0; i < written; i++) {
      int h = i * MMSGHDR;
      block.putInt(h + MSG_NAMELEN, NAME_SIZE);
      block.putLong(h + MSG_CONTROLLEN, RawMsg.CONTROL_SIZE);
      block.putInt(h + MSG_FLAGS, 0);
      block.putInt(h + MSG_LEN, 0);
    }
    written = max;
    wallNanos = Long.MIN_VALUE;
    int n = recvmmsg(fd, vec, max, Syscalls.MSG_DONTWAIT, null);
    if (n >= 0) {
      return n;
    }
    int errno = Native.getLastError();
    if (errno == Errno.EAGAIN) {
      return -1;
    }
    throw new LastErrorException(errno);
  }

  /** Bytes slot {@code i}'s datagram had in its buffer (0 after a shutdown). */
  int length(int i) {
    return block.getInt(i * MMSGHDR + MSG_LEN);
  }

  /** True if slot {@code i}'s datagram was longer than {@link #DATA_SIZE} and cut. */
  boolean truncated(int i) {
    return (block.getInt(i * MMSGHDR + MSG_FLAGS) & MSG_TRUNC) != 0;
  }

  /** Slot {@code i}'s data buffer (absolute reads only). */
  ByteBuffer data(int i) {
    return datas[i];
  }

  /** A read-only view of slot {@code i}'s data buffer, to hand on. */
  ByteBuffer payload(int i) {
    return payloads[i];
  }

  static int nameOffset(int i) {
    return NAMES + i * 32;
  }

  static int controlOffset(int i) {
    return CONTROLS + i * RawMsg.CONTROL_SIZE;
  }

  /** Bytes of ancillary data slot {@code i} got. */
  long controlLength(int i) {
    return Math.min(block.getLong(i * MMSGHDR + MSG_CONTROLLEN), RawMsg.CONTROL_SIZE);
  }

  /**
   * When the kernel queued slot {@code i}'s datagram, on {@link System#nanoTime()}'s scale,
   * as {@link RawMsg#kernelTime}: the clocks are read once per call, at the first slot with
   * a timestamp (every datagram of the call was queued before).
   */
  long kernelTime(int i, long readNanos) {
    long stamp = RawMsg.timestamp(block, controlOffset(i), controlLength(i));
    if (stamp == Long.MIN_VALUE) {
      return readNanos;
    }
    if (wallNanos == Long.MIN_VALUE) {
      long wall = RawMsg.wallNanos(block, TIMESPEC, timespec);
      if (wall == Long.MIN_VALUE) {
        return readNanos;
      }
      monoNanos = System.nanoTime();
      wallNanos = wall;
    }
    return RawMsg.fromAge(wallNanos - stamp, monoNanos, readNanos);
  }
}

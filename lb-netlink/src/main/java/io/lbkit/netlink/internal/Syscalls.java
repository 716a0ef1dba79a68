package io.lbkit.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import java.nio.ByteBuffer;

/**
 * The native calls lbkit makes, as Java methods that retry EINTR (a bounded number of
 * times) and turn errno into lb-api's {@link KernelException} through its one translator,
 * {@link KernelException#of}. Internal.
 */
public final class Syscalls {
  private Syscalls() {}

  /** AF_NETLINK. */
  public static final int AF_NETLINK = 16;
  /** AF_INET. */
  public static final int AF_INET = 2;
  /** AF_INET6. */
  public static final int AF_INET6 = 10;
  /** AF_PACKET. */
  public static final int AF_PACKET = 17;
  /** SOCK_DGRAM. */
  public static final int SOCK_DGRAM = 2;
  /** SOCK_RAW. */
  public static final int SOCK_RAW = 3;
  /** SOCK_CLOEXEC. */
  public static final int SOCK_CLOEXEC = 0x80000;
  /** SOL_SOCKET. */
  public static final int SOL_SOCKET = 1;
  /** SO_SNDBUF. */
  public static final int SO_SNDBUF = 7;
  /** SO_RCVBUF. */
  public static final int SO_RCVBUF = 8;
  /** SO_SNDBUFFORCE (root only). */
  public static final int SO_SNDBUFFORCE = 32;
  /** SO_RCVBUFFORCE (root only). */
  public static final int SO_RCVBUFFORCE = 33;
  /** SOL_NETLINK. */
  public static final int SOL_NETLINK = 270;
  /** MSG_DONTWAIT. */
  public static final int MSG_DONTWAIT = 0x40;
  /** MSG_TRUNC. */
  public static final int MSG_TRUNC = 0x20;
  /** MSG_PEEK. */
  public static final int MSG_PEEK = 0x2;
  /** POLLIN. */
  public static final short POLLIN = 1;
  /** CLONE_NEWNET, the nstype of setns for network namespaces. */
  public static final int CLONE_NEWNET = 0x40000000;
  /** O_RDONLY | O_CLOEXEC. */
  public static final int O_RDONLY_CLOEXEC = 0x80000;

  /** How often an EINTR is retried before it is reported. */
  static final int EINTR_RETRIES = 100;

  /**
   * lbkit's one EINTR policy: true if a native call that failed with {@code e} on its
   * {@code attempt}-th try (from 0) is to be made again, i.e. it was interrupted by a
   * signal (EINTR) and has been retried fewer than {@link #EINTR_RETRIES} times. Every
   * retry loop of a native call asks this; the loops are written out rather than taking
   * a lambda so that a hot path (a new master's first advert, an IPVS batch) links none:
   * <pre>{@code
   * for (int i = 0; ; i++) {
   *   try {
   *     return LibC.Direct.sendto(fd, p, len, 0, to, size);
   *   } catch (LastErrorException e) {
   *     if (!Syscalls.retryable(e, i)) {
   *       throw Syscalls.error("sendto " + what, e.getErrorCode());
   *     }
   *   }
   * }
   * }</pre>
   */
  public static boolean retryable(LastErrorException e, int attempt) {
    return e.getErrorCode() == Errno.EINTR && attempt < EINTR_RETRIES;
  }

  private static LibC c() {
    return LibC.INSTANCE;
  }

  /** The exception for a failed native call: operation, errno name and text. */
  public static KernelException error(String operation, int errno) {
    return KernelException.of(KernelException.Subject.OTHER, operation, errno, null);
  }

  @FunctionalInterface
  private interface Call {
    long run() throws LastErrorException;
  }

  private static long retry(String operation, Call call) throws KernelException {
    for (int i = 0; ; i++) {
      try {
        return call.run();
      } catch (LastErrorException e) {
        if (!retryable(e, i)) {
          throw error(operation, e.getErrorCode());
        }
      }
    }
  }

  /** socket(2). */
  public static int socket(int domain, int type, int protocol) throws KernelException {
    return (int) retry("socket(" + domain + ", " + type + ", " + protocol + ")",
        () -> c().socket(domain, type | SOCK_CLOEXEC, protocol));
  }

  /** bind(2). */
  public static void bind(int fd, Structure addr) throws KernelException {
    addr.write();
    retry("bind", () -> c().bind(fd, addr, addr.size()));
  }

  /** close(2); EINTR is not retried (the descriptor is gone on Linux either way). */
  public static void close(int fd) throws KernelException {
    try {
      c().close(fd);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Errno.EINTR) {
        throw error("close", e.getErrorCode());
      }
    }
  }

  /**
   * shutdown(2) both ways, to wake a thread blocked in poll on the socket before it is
   * closed (close alone does not). On a socket that is not connected (raw, datagram)
   * the kernel still marks it shut down and wakes its pollers, then reports ENOTCONN,
   * which is therefore not an error here.
   */
  public static void shutdown(int fd) throws KernelException {
    try {
      c().shutdown(fd, 2); // SHUT_RDWR
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Errno.ENOTCONN) {
        throw error("shutdown", e.getErrorCode());
      }
    }
  }

  /** open(2) read-only, close-on-exec. */
  public static int openReadOnly(String path) throws KernelException {
    return (int) retry("open " + path, () -> c().open(path, O_RDONLY_CLOEXEC));
  }

  /** setsockopt(2) with an int value. */
  public static void setsockopt(int fd, int level, int name, int value, String what) throws KernelException {
    Memory m = new Memory(4);
    m.setInt(0, value);
    retry("setsockopt " + what, () -> c().setsockopt(fd, level, name, m, 4));
  }

  /** getsockopt(2) of an int value. */
  public static int getsockoptInt(int fd, int level, int name, String what) throws KernelException {
    Memory m = new Memory(4);
    IntByReference len = new IntByReference(4);
    retry("getsockopt " + what, () -> c().getsockopt(fd, level, name, m, len));
    return m.getInt(0);
  }

  /** getsockname(2) into {@code addr}. */
  public static void getsockname(int fd, Structure addr) throws KernelException {
    IntByReference len = new IntByReference(addr.size());
    retry("getsockname", () -> c().getsockname(fd, addr, len));
    addr.read();
  }

  /**
   * sendto(2) of the direct buffer's bytes between position and limit; the position
   * advances by what was sent.
   */
  public static int sendto(int fd, ByteBuffer buf, int flags, Structure to) throws KernelException {
    Pointer p = address(buf);
    if (to != null) {
      to.write();
    }
    int n = (int) retry("sendto", () -> c().sendto(fd, p, buf.remaining(), flags, to, to == null ? 0 : to.size()));
    buf.position(buf.position() + n);
    return n;
  }

  /**
   * sendmsg(2) of the direct buffer's bytes between position and limit as one
   * datagram (one iovec); the position advances by what was sent.
   */
  public static int sendmsg(int fd, ByteBuffer buf, Structure to) throws KernelException {
    LibC.IoVec iov = new LibC.IoVec();
    iov.iov_base = address(buf);
    iov.iov_len = buf.remaining();
    iov.write();
    LibC.MsgHdr msg = new LibC.MsgHdr();
    if (to != null) {
      to.write();
      msg.msg_name = to.getPointer();
      msg.msg_namelen = to.size();
    }
    msg.msg_iov = iov.getPointer();
    msg.msg_iovlen = 1;
    int n = (int) retry("sendmsg", () -> c().sendmsg(fd, msg, 0));
    buf.position(buf.position() + n);
    return n;
  }

  /**
   * recvfrom(2) into the direct buffer from its position; returns the datagram's real
   * length (may exceed the space when MSG_TRUNC is passed), -1 for EAGAIN with
   * MSG_DONTWAIT. The limit is set to the end of the received bytes.
   */
  public static int recvfrom(int fd, ByteBuffer buf, int flags, Structure from) throws KernelException {
    Pointer p = address(buf);
    IntByReference len = from == null ? null : new IntByReference(from.size());
    int n;
    try {
      n = (int) retry("recvfrom", () -> c().recvfrom(fd, p, buf.remaining(), flags, from, len));
    } catch (KernelException e) {
      if (e.errno() == Errno.EAGAIN && (flags & MSG_DONTWAIT) != 0) {
        return -1;
      }
      throw e;
    }
    if (from != null) {
      from.read();
    }
    buf.limit(buf.position() + Math.min(n, buf.remaining()));
    return n;
  }

  /** poll(2) for POLLIN on one descriptor: true when readable, false on timeout. */
  public static boolean pollIn(int fd, int timeoutMillis) throws KernelException {
    Memory pfd = POLL_FD.get();
    pfd.setInt(0, fd);
    pfd.setShort(4, POLLIN);
    pfd.setShort(6, (short) 0);
    long n = retry("poll", () -> LibC.Direct.poll(pfd, 1, timeoutMillis));
    return n > 0;
  }

  /**
   * One {@code struct pollfd} (8 bytes) per thread, through the direct-mapped poll: a JNA
   * Structure per call cost reflection on every call (and milliseconds on the first, which
   * could be a VRRP backup's check for queued adverts as it takes over).
   */
  private static final ThreadLocal<Memory> POLL_FD = ThreadLocal.withInitial(() -> new Memory(8));

  /** setns(2). */
  public static void setns(int fd, int nstype, String what) throws KernelException {
    retry("setns " + what, () -> c().setns(fd, nstype));
  }

  /** if_nametoindex(3). @throws KernelException ENODEV when there is no such interface */
  public static int ifNameToIndex(String name) throws KernelException {
    try {
      int i = c().if_nametoindex(name);
      if (i == 0) {
        throw error("if_nametoindex " + name, Errno.ENODEV);
      }
      return i;
    } catch (LastErrorException e) {
      throw error("if_nametoindex " + name, e.getErrorCode());
    }
  }

  /** if_indextoname(3). @throws KernelException ENXIO when there is no such interface */
  public static String ifIndexToName(int index) throws KernelException {
    byte[] name = new byte[16];
    try {
      if (c().if_indextoname(index, name) == null) {
        throw error("if_indextoname " + index, Errno.ENXIO);
      }
    } catch (LastErrorException e) {
      throw error("if_indextoname " + index, e.getErrorCode());
    }
    return Native.toString(name, "US-ASCII");
  }

  private static Pointer address(ByteBuffer buf) {
    if (!buf.isDirect()) {
      throw new IllegalArgumentException("native I/O needs a direct ByteBuffer");
    }
    return Native.getDirectBufferPointer(buf).share(buf.position());
  }
}

package io.lbkit.netlink.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;

/**
 * lbkit's one JNA binding to the C library. Internal: public only because the sibling
 * packages {@code io.lbkit.netlink.rtnl} and {@code io.lbkit.netlink.raw} use it. Call it
 * through {@link Syscalls}, which retries EINTR and translates errno.
 *
 * <p>Every method throws {@link LastErrorException} (carrying errno) when the C call
 * returns -1. Structures mirror the Linux x86-64/aarch64 C layouts field by field.
 */
public interface LibC extends Library {
  /**
   * The C library's name for JNA: glibc's soname, which dlopen finds at once (the library is already mapped);
   * else {@code "c"}, which JNA resolves by its own search ({@code libc.so}, which glibc systems have only with
   * the development package, along its search path, then the directories' listings for a versioned name).
   */
  String NAME = cLibraryName();

  /** The loaded library. */
  LibC INSTANCE = Native.load(NAME, LibC.class);

  private static String cLibraryName() {
    try {
      NativeLibrary.getInstance("libc.so.6");
      return "libc.so.6";
    } catch (UnsatisfiedLinkError notGlibc) {
      return "c"; // musl and others: JNA's search
    }
  }

  /** socket(2). */
  int socket(int domain, int type, int protocol) throws LastErrorException;

  /** bind(2) with any sockaddr structure. */
  int bind(int fd, Structure addr, int addrlen) throws LastErrorException;

  /** connect(2) with any sockaddr structure. */
  int connect(int fd, Structure addr, int addrlen) throws LastErrorException;

  /** close(2). */
  int close(int fd) throws LastErrorException;

  /** shutdown(2). */
  int shutdown(int fd, int how) throws LastErrorException;

  /** open(2), for namespace files. */
  int open(String path, int flags) throws LastErrorException;

  /** sendto(2); {@code to} may be null for a connected socket. */
  int sendto(int fd, ByteBuffer buf, long len, int flags, Structure to, int tolen) throws LastErrorException;

  /** sendto(2) from native memory. */
  int sendto(int fd, Pointer buf, long len, int flags, Structure to, int tolen) throws LastErrorException;

  /** sendmsg(2). */
  long sendmsg(int fd, MsgHdr msg, int flags) throws LastErrorException;

  /** recvfrom(2); {@code from}/{@code fromlen} may be null. */
  int recvfrom(int fd, ByteBuffer buf, long len, int flags, Structure from, IntByReference fromlen)
      throws LastErrorException;

  /** recvfrom(2) into native memory. */
  int recvfrom(int fd, Pointer buf, long len, int flags, Structure from, IntByReference fromlen)
      throws LastErrorException;

  /** recvmsg(2). */
  long recvmsg(int fd, MsgHdr msg, int flags) throws LastErrorException;

  /** setsockopt(2) with an option value in native memory. */
  int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

  /** getsockopt(2). */
  int getsockopt(int fd, int level, int name, Pointer value, IntByReference len) throws LastErrorException;

  /** getsockname(2). */
  int getsockname(int fd, Structure addr, IntByReference len) throws LastErrorException;

  /** if_nametoindex(3): 0 when unknown (errno set). */
  int if_nametoindex(String name) throws LastErrorException;

  /** if_indextoname(3): null when unknown. */
  Pointer if_indextoname(int index, byte[] name) throws LastErrorException;

  /** setns(2). */
  int setns(int fd, int nstype) throws LastErrorException;

  /** getpid(2). */
  int getpid();

  /**
   * The hot calls of netlink I/O as JNA direct mappings (static natives registered once):
   * no per-call reflection or Structure marshalling, arguments are raw pointers into
   * native memory the caller owns and reuses. See {@link NativeMsg}.
   */
  final class Direct {
    private Direct() {}

    static {
      Native.register(Direct.class, NAME);
    }

    /** sendmsg(2) of a {@code struct msghdr} at {@code msg}. */
    public static native long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    /**
     * Registers the natives now (this class's initialisation) rather than in the first
     * call, which may be time-critical (a VRRP backup's first advert as master).
     */
    public static void link() {
      // class initialisation does the work
    }

    /** sendto(2) of {@code len} bytes at {@code buf} to the sockaddr at {@code to}. */
    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer to, int tolen)
        throws LastErrorException;

    /** recvmmsg(2) into {@code vlen} {@code struct mmsghdr}s at {@code msgvec}; {@code timeout} may be null. */
    public static native int recvmmsg(int fd, Pointer msgvec, int vlen, int flags, Pointer timeout)
        throws LastErrorException;

    /** poll(2) over {@code nfds} {@code struct pollfd}s at {@code fds}. */
    public static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;
  }

  /** {@code struct sockaddr_nl} (12 bytes). */
  @Structure.FieldOrder({"nl_family", "nl_pad", "nl_pid", "nl_groups"})
  final class SockaddrNl extends Structure {
    /** sa_family_t: AF_NETLINK (16). */
    public short nl_family = (short) Syscalls.AF_NETLINK;
    /** unsigned short: zero. */
    public short nl_pad;
    /** __u32: port id; 0 is the kernel (or "assign one" in bind). */
    public int nl_pid;
    /** __u32: legacy multicast group bit mask (groups 1-32). */
    public int nl_groups;
  }

  /** {@code struct iovec} (16 bytes). */
  @Structure.FieldOrder({"iov_base", "iov_len"})
  final class IoVec extends Structure {
    /** void *: start of the buffer. */
    public Pointer iov_base;
    /** size_t: its length. */
    public long iov_len;
  }

  /** {@code struct msghdr} (56 bytes on 64-bit Linux). */
  @Structure.FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen",
      "msg_flags"})
  final class MsgHdr extends Structure {
    /** void *: optional peer address. */
    public Pointer msg_name;
    /** socklen_t: its size. */
    public int msg_namelen;
    /** struct iovec *: scatter/gather array. */
    public Pointer msg_iov;
    /** size_t: number of iovecs. */
    public long msg_iovlen;
    /** void *: ancillary data. */
    public Pointer msg_control;
    /** size_t: ancillary buffer length. */
    public long msg_controllen;
    /** int: flags on the received message (MSG_TRUNC, ...). */
    public int msg_flags;
  }

  /** {@code struct sockaddr_ll} (20 bytes) for AF_PACKET. */
  @Structure.FieldOrder({"sll_family", "sll_protocol", "sll_ifindex", "sll_hatype", "sll_pkttype", "sll_halen",
      "sll_addr"})
  final class SockaddrLl extends Structure {
    /** unsigned short: AF_PACKET (17). */
    public short sll_family = 17;
    /** __be16: ethertype in network order. */
    public short sll_protocol;
    /** int: interface index. */
    public int sll_ifindex;
    /** unsigned short: ARP hardware type. */
    public short sll_hatype;
    /** unsigned char: packet type (PACKET_HOST, PACKET_BROADCAST, ...). */
    public byte sll_pkttype;
    /** unsigned char: hardware address length. */
    public byte sll_halen;
    /** unsigned char[8]: hardware address. */
    public byte[] sll_addr = new byte[8];
  }

  /** {@code struct sockaddr_in} (16 bytes). */
  @Structure.FieldOrder({"sin_family", "sin_port", "sin_addr", "sin_zero"})
  final class SockaddrIn extends Structure {
    /** sa_family_t: AF_INET (2). */
    public short sin_family = 2;
    /** in_port_t: port, network order. */
    public short sin_port;
    /** struct in_addr: the 4 address bytes, network order. */
    public byte[] sin_addr = new byte[4];
    /** unsigned char[8]: padding. */
    public byte[] sin_zero = new byte[8];
  }

  /** {@code struct sockaddr_in6} (28 bytes). */
  @Structure.FieldOrder({"sin6_family", "sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"})
  final class SockaddrIn6 extends Structure {
    /** sa_family_t: AF_INET6 (10). */
    public short sin6_family = 10;
    /** in_port_t: port, network order. */
    public short sin6_port;
    /** uint32_t: flow information, network order. */
    public int sin6_flowinfo;
    /** struct in6_addr: the 16 address bytes. */
    public byte[] sin6_addr = new byte[16];
    /** uint32_t: scope (interface) id. */
    public int sin6_scope_id;
  }
}

package io.lbkit.api.kernel;

import io.lbkit.api.Protocol;

/**
 * Linux errno numbers, names and texts (x86-64 and every other Linux architecture
 * but alpha, mips, parisc and sparc, which lbkit does not support), so every error
 * can say {@code EEXIST (File exists)} rather than a bare number.
 */
public final class Errno {
  private Errno() {}

  /** Operation not permitted. */
  public static final int EPERM = 1;
  /** No such file or directory. */
  public static final int ENOENT = 2;
  /** No such process. */
  public static final int ESRCH = 3;
  /** Interrupted system call. */
  public static final int EINTR = 4;
  /** Input/output error. */
  public static final int EIO = 5;
  /** No such device or address. */
  public static final int ENXIO = 6;
  /** Argument list too long. */
  public static final int E2BIG = 7;
  /** Exec format error. */
  public static final int ENOEXEC = 8;
  /** Bad file descriptor. */
  public static final int EBADF = 9;
  /** No child processes. */
  public static final int ECHILD = 10;
  /** Resource temporarily unavailable. */
  public static final int EAGAIN = 11;
  /** Cannot allocate memory. */
  public static final int ENOMEM = 12;
  /** Permission denied. */
  public static final int EACCES = 13;
  /** Bad address. */
  public static final int EFAULT = 14;
  /** Device or resource busy. */
  public static final int EBUSY = 16;
  /** File exists. */
  public static final int EEXIST = 17;
  /** Invalid cross-device link. */
  public static final int EXDEV = 18;
  /** No such device. */
  public static final int ENODEV = 19;
  /** Not a directory. */
  public static final int ENOTDIR = 20;
  /** Is a directory. */
  public static final int EISDIR = 21;
  /** Invalid argument. */
  public static final int EINVAL = 22;
  /** Too many open files in system. */
  public static final int ENFILE = 23;
  /** Too many open files. */
  public static final int EMFILE = 24;
  /** No space left on device. */
  public static final int ENOSPC = 28;
  /** Broken pipe. */
  public static final int EPIPE = 32;
  /** Numerical argument out of domain. */
  public static final int EDOM = 33;
  /** Numerical result out of range. */
  public static final int ERANGE = 34;
  /** File name too long. */
  public static final int ENAMETOOLONG = 36;
  /** Function not implemented. */
  public static final int ENOSYS = 38;
  /** Directory not empty. */
  public static final int ENOTEMPTY = 39;
  /** No data available. */
  public static final int ENODATA = 61;
  /** Timer expired. */
  public static final int ETIME = 62;
  /** Protocol error. */
  public static final int EPROTO = 71;
  /** Bad message. */
  public static final int EBADMSG = 74;
  /** Value too large for defined data type. */
  public static final int EOVERFLOW = 75;
  /** Socket operation on non-socket. */
  public static final int ENOTSOCK = 88;
  /** Destination address required. */
  public static final int EDESTADDRREQ = 89;
  /** Message too long. */
  public static final int EMSGSIZE = 90;
  /** Protocol wrong type for socket. */
  public static final int EPROTOTYPE = 91;
  /** Protocol not available. */
  public static final int ENOPROTOOPT = 92;
  /** Protocol not supported. */
  public static final int EPROTONOSUPPORT = 93;
  /** Socket type not supported. */
  public static final int ESOCKTNOSUPPORT = 94;
  /** Operation not supported. */
  public static final int EOPNOTSUPP = 95;
  /** Protocol family not supported. */
  public static final int EPFNOSUPPORT = 96;
  /** Address family not supported by protocol. */
  public static final int EAFNOSUPPORT = 97;
  /** Address already in use. */
  public static final int EADDRINUSE = 98;
  /** Cannot assign requested address. */
  public static final int EADDRNOTAVAIL = 99;
  /** Network is down. */
  public static final int ENETDOWN = 100;
  /** Network is unreachable. */
  public static final int ENETUNREACH = 101;
  /** Software caused connection abort. */
  public static final int ECONNABORTED = 103;
  /** Connection reset by peer. */
  public static final int ECONNRESET = 104;
  /** No buffer space available. */
  public static final int ENOBUFS = 105;
  /** Transport endpoint is already connected. */
  public static final int EISCONN = 106;
  /** Transport endpoint is not connected. */
  public static final int ENOTCONN = 107;
  /** Connection timed out. */
  public static final int ETIMEDOUT = 110;
  /** Connection refused. */
  public static final int ECONNREFUSED = 111;
  /** Host is down. */
  public static final int EHOSTDOWN = 112;
  /** No route to host. */
  public static final int EHOSTUNREACH = 113;
  /** Operation already in progress. */
  public static final int EALREADY = 114;
  /** Operation now in progress. */
  public static final int EINPROGRESS = 115;
  /** Operation canceled. */
  public static final int ECANCELED = 125;

  /** The errno's name ({@code EEXIST}), or {@code errno N} if unknown. */
  public static String name(int errno) {
    String[] e = lookup(errno);
    return e == null ? "errno " + errno : e[0];
  }

  /** The errno's text as strerror(3) gives it, or {@code Unknown error N}. */
  public static String text(int errno) {
    String[] e = lookup(errno);
    return e == null ? "Unknown error " + errno : e[1];
  }

  /** {@code EEXIST (File exists)}. */
  public static String describe(int errno) {
    return name(errno) + " (" + text(errno) + ")";
  }

  private static String[] lookup(int errno) {
    switch (errno) {
      case 1: return new String[] {"EPERM", "Operation not permitted"};
      case 2: return new String[] {"ENOENT", "No such file or directory"};
      case 3: return new String[] {"ESRCH", "No such process"};
      case 4: return new String[] {"EINTR", "Interrupted system call"};
      case 5: return new String[] {"EIO", "Input/output error"};
      case 6: return new String[] {"ENXIO", "No such device or address"};
      case 7: return new String[] {"E2BIG", "Argument list too long"};
      case 8: return new String[] {"ENOEXEC", "Exec format error"};
      case 9: return new String[] {"EBADF", "Bad file descriptor"};
      case 10: return new String[] {"ECHILD", "No child processes"};
      case 11: return new String[] {"EAGAIN", "Resource temporarily unavailable"};
      case 12: return new String[] {"ENOMEM", "Cannot allocate memory"};
      case 13: return new String[] {"EACCES", "Permission denied"};
      case 14: return new String[] {"EFAULT", "Bad address"};
      case 16: return new String[] {"EBUSY", "Device or resource busy"};
      case 17: return new String[] {"EEXIST", "File exists"};
      case 18: return new String[] {"EXDEV", "Invalid cross-device link"};
      case 19: return new String[] {"ENODEV", "No such device"};
      case 20: return new String[] {"ENOTDIR", "Not a directory"};
      case 21: return new String[] {"EISDIR", "Is a directory"};
      case 22: return new String[] {"EINVAL", "Invalid argument"};
      case 23: return new String[] {"ENFILE", "Too many open files in system"};
      case 24: return new String[] {"EMFILE", "Too many open files"};
      case 28: return new String[] {"ENOSPC", "No space left on device"};
      case 32: return new String[] {"EPIPE", "Broken pipe"};
      case 33: return new String[] {"EDOM", "Numerical argument out of domain"};
      case 34: return new String[] {"ERANGE", "Numerical result out of range"};
      case 36: return new String[] {"ENAMETOOLONG", "File name too long"};
      case 38: return new String[] {"ENOSYS", "Function not implemented"};
      case 39: return new String[] {"ENOTEMPTY", "Directory not empty"};
      case 61: return new String[] {"ENODATA", "No data available"};
      case 62: return new String[] {"ETIME", "Timer expired"};
      case 71: return new String[] {"EPROTO", "Protocol error"};
      case 74: return new String[] {"EBADMSG", "Bad message"};
      case 75: return new String[] {"EOVERFLOW", "Value too large for defined data type"};
      case 88: return new String[] {"ENOTSOCK", "Socket operation on non-socket"};
      case 89: return new String[] {"EDESTADDRREQ", "Destination address required"};
      case 90: return new String[] {"EMSGSIZE", "Message too long"};
      case 91: return new String[] {"EPROTOTYPE", "Protocol wrong type for socket"};
      case 92: return new String[] {"ENOPROTOOPT", "Protocol not available"};
      case 93: return new String[] {"EPROTONOSUPPORT", "Protocol not supported"};
      case 94: return new String[] {"ESOCKTNOSUPPORT", "Socket type not supported"};
      case 95: return new String[] {"EOPNOTSUPP", "Operation not supported"};
      case 96: return new String[] {"EPFNOSUPPORT", "Protocol family not supported"};
      case 97: return new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"};
      case 98: return new String[] {"EADDRINUSE", "Address already in use"};
      case 99: return new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"};
      case 100: return new String[] {"ENETDOWN", "Network is down"};
      case 101: return new String[] {"ENETUNREACH", "Network is unreachable"};
      case 103: return new String[] {"ECONNABORTED", "Software caused connection abort"};
      case 104: return new String[] {"ECONNRESET", "Connection reset by peer"};
      case 105: return new String[] {"ENOBUFS", "No buffer space available"};
      case 106: return new String[] {"EISCONN", "Transport endpoint is already connected"};
      case 107: return new String[] {"ENOTCONN", "Transport endpoint is not connected"};
      case 110: return new String[] {"ETIMEDOUT", "Connection timed out"};
      case 111: return new String[] {"ECONNREFUSED", "Connection refused"};
      case 112: return new String[] {"EHOSTDOWN", "Host is down"};
      case 113: return new String[] {"EHOSTUNREACH", "No route to host"};
      case 114: return new String[] {"EALREADY", "Operation already in progress"};
      case 115: return new String[] {"EINPROGRESS", "Operation now in progress"};
      case 125: return new String[] {"ECANCELED", "Operation canceled"};
      default: return null;
    }
  }
}

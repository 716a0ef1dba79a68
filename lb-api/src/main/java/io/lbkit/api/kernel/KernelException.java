package io.lbkit.api.kernel;

import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import java.io.IOException;

/**
 * The kernel (or a fake of it) refused an operation. The message always names the
 * operation, the errno name and text, and the kernel's extended-ack text when it
 * sent one: {@code IPVS add service TCP 192.168.0.200:80: EEXIST (File exists)}.
 *
 * <p>{@link #of} is lbkit's one errno translator: every adapter and fake builds its
 * exceptions there, so the same failure has the same type everywhere.
 */
public class KernelException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;
  private final String extAck;

  /** For subclasses; use {@link #of}. */
  protected KernelException(String operation, int errno, String extAck, String message) {
    super(message);
    this.operation = operation;
    this.errno = errno;
    this.extAck = extAck;
  }

  /** For subclasses; use {@link #of}. */
  protected KernelException(String operation, int errno, String extAck) {
    this(operation, errno, extAck, operation + ": " + Errno.describe(errno)
        + (extAck == null || extAck.isEmpty() ? "" : " - " + extAck));
  }

  /**
   * The exception for a failed operation: a specific subclass where callers act on
   * the error, a plain KernelException otherwise.
   *
   * @param kind what the operation was about: decides ENOENT's meaning (no such
   *     destination vs. unknown scheduler or persistence engine)
   * @param operation the operation, e.g. {@code "IPVS add service TCP 192.168.0.200:80"}
   * @param errno the positive errno
   * @param extAck the kernel's extended-ack message, or null
   */
  public static KernelException of(Subject kind, String operation, int errno, String extAck) {
    switch (errno) {
      case Errno.EEXIST:
        return new ObjectExistsException(operation, errno, extAck);
      case Errno.ESRCH:
        return kind == Subject.SERVICE || kind == Subject.DEST
            ? new NoSuchServiceException(operation, errno, extAck)
            : new KernelException(operation, errno, extAck);
      case Errno.ENOENT:
        if (kind == Subject.DEST) {
          return new NoSuchDestinationException(operation, errno, extAck);
        }
        if (kind == Subject.SERVICE) {
          return new UnknownSchedulerException(operation, errno, extAck);
        }
        return new KernelException(operation, errno, extAck);
      case Errno.EPERM:
      case Errno.EACCES:
        return new NotPermittedException(operation, errno, extAck);
      default:
        return new KernelException(operation, errno, extAck);
    }
  }

  /**
   * The exception for a failed IPVS change: {@link #of(Subject, String, int, String)} with
   * the change's {@link IpvsOp#operation() name}, which names its service and real server;
   * ENOENT on adding or updating a service is an {@link UnknownSchedulerException} that
   * names the scheduler (and persistence engine) the kernel lacks. Every {@code Ipvs}
   * builds its failures of changes here, so the kernel adapter and the fake word them alike.
   *
   * @param op the change
   * @param errno the positive errno
   * @param extAck the kernel's extended-ack message, or null
   */
  public static KernelException of(IpvsOp op, int errno, String extAck) {
    IpvsService svc = op instanceof IpvsOp.AddService a ? a.service()
        : op instanceof IpvsOp.UpdateService u ? u.service() : null;
    if (errno == Errno.ENOENT && svc != null) {
      return new UnknownSchedulerException(op.operation(), errno, extAck, svc);
    }
    boolean dest = op instanceof IpvsOp.AddDest || op instanceof IpvsOp.UpdateDest || op instanceof IpvsOp.DeleteDest;
    // (ENOENT on deleting a service is no scheduler's fault: a plain KernelException)
    Subject kind = dest ? Subject.DEST : svc == null && errno == Errno.ENOENT ? Subject.OTHER : Subject.SERVICE;
    return of(kind, op.operation(), errno, extAck);
  }

  /** What an operation was about, which decides how some errnos read. */
  public enum Subject {
    /** Add/update a service: ENOENT means unknown scheduler or persistence engine. */
    SERVICE,
    /** A destination: ENOENT means no such destination, ESRCH no such service. */
    DEST,
    /** Anything else. */
    OTHER
  }

  /** The operation that failed. */
  public String operation() {
    return operation;
  }

  /** The positive errno. */
  public int errno() {
    return errno;
  }

  /** The errno's name, e.g. {@code EEXIST}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The kernel's extended-ack text, or null. */
  public String extAck() {
    return extAck;
  }
}

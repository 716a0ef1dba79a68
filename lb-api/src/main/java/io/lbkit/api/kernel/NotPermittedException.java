package io.lbkit.api.kernel;

/** The caller lacks CAP_NET_ADMIN: EPERM or EACCES. */
public final class NotPermittedException extends KernelException {
  private static final long serialVersionUID = 1L;

  NotPermittedException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
  }
}

package io.lbkit.api.kernel;

/** The virtual service does not exist: ESRCH. */
public final class NoSuchServiceException extends KernelException {
  private static final long serialVersionUID = 1L;

  NoSuchServiceException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
  }
}

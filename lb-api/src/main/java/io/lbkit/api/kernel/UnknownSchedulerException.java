package io.lbkit.api.kernel;

/** The kernel has no such scheduler or persistence engine: ENOENT on a service. */
public final class UnknownSchedulerException extends KernelException {
  private static final long serialVersionUID = 1L;

  UnknownSchedulerException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
  }
}

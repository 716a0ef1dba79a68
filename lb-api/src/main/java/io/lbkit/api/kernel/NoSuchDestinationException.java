package io.lbkit.api.kernel;

/** The destination does not exist in the service: ENOENT on a destination. */
public final class NoSuchDestinationException extends KernelException {
  private static final long serialVersionUID = 1L;

  NoSuchDestinationException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
  }
}

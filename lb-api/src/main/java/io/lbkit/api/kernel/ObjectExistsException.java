package io.lbkit.api.kernel;

/** The object (service, destination, address) already exists: EEXIST. */
public final class ObjectExistsException extends KernelException {
  private static final long serialVersionUID = 1L;

  ObjectExistsException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
  }
}

package io.lbkit.api.ipvs;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.NoSuchDestinationException;
import io.lbkit.api.kernel.NoSuchServiceException;
import io.lbkit.api.kernel.NotPermittedException;
import io.lbkit.api.kernel.ObjectExistsException;
import io.lbkit.api.kernel.UnknownSchedulerException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Port: the kernel's IP Virtual Server table. Implemented by lb-netlink's
 * {@code NetlinkIpvs} (the real kernel) and lb-testing's {@code FakeIpvs}; both pass
 * lb-testing's {@code IpvsContract}.
 *
 * <p>Failures are {@link KernelException}s naming the operation and errno; the
 * subclasses {@link ObjectExistsException}, {@link NoSuchServiceException},
 * {@link NoSuchDestinationException}, {@link UnknownSchedulerException} and
 * {@link NotPermittedException} are the ones callers act on.
 */
public interface Ipvs extends Closeable {

  /** Version and connection table size. */
  IpvsInfo info() throws IOException;

  /** Every service with its destinations and counters (a dump). */
  List<ServiceSnapshot> services() throws IOException;

  /** Adds a service. @throws ObjectExistsException if it exists */
  void addService(IpvsService service) throws IOException;

  /** Changes a service in place. @throws NoSuchServiceException if absent */
  void updateService(IpvsService service) throws IOException;

  /** Deletes a service and its destinations. @throws NoSuchServiceException if absent */
  void deleteService(ServiceKey key) throws IOException;

  /** Adds a destination. @throws NoSuchServiceException, ObjectExistsException */
  void addDest(ServiceKey service, IpvsDest dest) throws IOException;

  /** Changes a destination in place. @throws NoSuchDestinationException if absent */
  void updateDest(ServiceKey service, IpvsDest dest) throws IOException;

  /** Deletes a destination. @throws NoSuchDestinationException if absent */
  void deleteDest(ServiceKey service, RealServerKey dest) throws IOException;

  /** Deletes every service. */
  void flush() throws IOException;

  /** Zeroes the counters of one service, or of all when {@code service} is null. */
  void zero(ServiceKey service) throws IOException;

  /** Connection timeouts. */
  IpvsTimeouts timeouts() throws IOException;

  /** Sets connection timeouts; a 0 field is left unchanged. */
  void setTimeouts(IpvsTimeouts timeouts) throws IOException;

  /** Running connection sync daemons. */
  List<SyncDaemon> syncDaemons() throws IOException;

  /** Starts a sync daemon. */
  void startSyncDaemon(SyncDaemon daemon) throws IOException;

  /** Stops the sync daemon of this role. */
  void stopSyncDaemon(SyncDaemon.Role role) throws IOException;

  /**
   * Applies changes in order. An implementation may send them in one batch; every
   * change is attempted even after one fails (they are independent by
   * construction), and the failures are reported together.
   *
   * @throws BatchException listing each failed change with its error
   */
  default void apply(List<IpvsOp> ops) throws IOException {
    BatchException.Builder failures = new BatchException.Builder(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      try {
        ops.get(i).applyTo(this);
      } catch (KernelException e) {
        failures.add(i, ops.get(i), e);
      }
    }
    failures.throwIfAny();
  }
}

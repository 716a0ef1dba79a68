package io.lbkit.api.kernel;

import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsService;
import java.util.Optional;

/**
 * The kernel has no such scheduler or persistence engine: ENOENT on adding or changing a
 * service. Built by {@link KernelException#of(io.lbkit.api.ipvs.IpvsOp, int, String)}, it
 * names the service and what the kernel lacks: {@code IPVS add service TCP 192.0.2.200:80
 * (-A -t 192.0.2.200:80 -s nosuch): ENOENT (No such file or directory): scheduler nosuch is
 * not available (kernel module ip_vs_nosuch)}. (The kernel does not say which of the two it
 * lacks when the service has a persistence engine, so the message names both.)
 */
public final class UnknownSchedulerException extends KernelException {
  private static final long serialVersionUID = 1L;

  private final transient ServiceKey service;
  private final String scheduler;
  private final String persistenceEngine;

  UnknownSchedulerException(String operation, int errno, String extAck) {
    super(operation, errno, extAck);
    this.service = null;
    this.scheduler = null;
    this.persistenceEngine = null;
  }

  UnknownSchedulerException(String operation, int errno, String extAck, IpvsService svc) {
    super(operation, errno, extAck, operation + ": " + Errno.describe(errno)
        + (extAck == null || extAck.isEmpty() ? "" : " - " + extAck) + ": " + lacking(svc));
    this.service = svc.key();
    this.scheduler = svc.scheduler().name();
    this.persistenceEngine = svc.persistenceEngine();
  }

  private static String lacking(IpvsService svc) {
    String s = svc.scheduler().name();
    String pe = svc.persistenceEngine();
    return pe == null ? "scheduler " + s + " is not available (kernel module ip_vs_" + s + ")"
        : "scheduler " + s + " or persistence engine " + pe + " is not available (kernel modules ip_vs_" + s
            + ", ip_vs_pe_" + pe + ")";
  }

  /** The service that was being added or changed, when known. */
  public Optional<ServiceKey> service() {
    return Optional.ofNullable(service);
  }

  /** The scheduler the service asked for, when known. */
  public Optional<String> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /** The persistence engine the service asked for, if it had one. */
  public Optional<String> persistenceEngine() {
    return Optional.ofNullable(persistenceEngine);
  }
}

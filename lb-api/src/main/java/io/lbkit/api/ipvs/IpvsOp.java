package io.lbkit.api.ipvs;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import java.io.IOException;

/**
 * One IPVS change. {@code toString()} gives the change in {@code ipvsadm -R}
 * syntax ({@code -a -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 1}), so a dry run
 * prints something an operator can read and replay.
 */
public sealed interface IpvsOp {

  /** Applies this change to a port. */
  void applyTo(Ipvs ipvs) throws IOException;

  /** The service this change is about. */
  ServiceKey serviceKey();

  /**
   * What this change is called in errors, naming its service and real server, with the
   * change in ipvsadm syntax:
   * {@code IPVS add destination 198.51.100.1:80 to TCP 192.0.2.200:80 (-a -t 192.0.2.200:80 -r 198.51.100.1:80 -g -w 1)}.
   * Every {@link Ipvs} names a failed change so, through
   * {@link io.lbkit.api.kernel.KernelException#of(IpvsOp, int, String)}.
   */
  default String operation() {
    return IpvsRules.operation(this);
  }

  /** @param service the new service */
  record AddService(IpvsService service) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.addService(service); }
    @Override public ServiceKey serviceKey() { return service.key(); }
    @Override public String toString() { return IpvsRules.of(this); }
  }

  /** @param service the changed service (same key) */
  record UpdateService(IpvsService service) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.updateService(service); }
    @Override public ServiceKey serviceKey() { return service.key(); }
    @Override public String toString() { return IpvsRules.of(this); }
  }

  /** @param key the service to delete with its destinations */
  record DeleteService(ServiceKey key) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.deleteService(key); }
    @Override public ServiceKey serviceKey() { return key; }
    @Override public String toString() { return IpvsRules.of(this); }
  }

  /** @param key the service @param dest the new destination */
  record AddDest(ServiceKey key, IpvsDest dest) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.addDest(key, dest); }
    @Override public ServiceKey serviceKey() { return key; }
    @Override public String toString() { return IpvsRules.of(this); }
  }

  /** @param key the service @param dest the changed destination */
  record UpdateDest(ServiceKey key, IpvsDest dest) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.updateDest(key, dest); }
    @Override public ServiceKey serviceKey() { return key; }
    @Override public String toString() { return IpvsRules.of(this); }
  }

  /** @param key the service @param dest the destination to delete */
  record DeleteDest(ServiceKey key, RealServerKey dest) implements IpvsOp {
    @Override public void applyTo(Ipvs ipvs) throws IOException { ipvs.deleteDest(key, dest); }
    @Override public ServiceKey serviceKey() { return key; }
    @Override public String toString() { return IpvsRules.of(this); }
  }
}

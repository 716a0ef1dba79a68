package io.lbkit.cli;

import io.lbkit.api.ServiceKey;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import java.io.IOException;
import java.util.List;

/**
 * {@code lbctl apply --dry-run}'s IPVS: reads are the kernel's, changes are accepted and
 * dropped. A Director over it computes, from the kernel's real table, the changes it
 * would make (it keeps its own model of the table, so it never re-reads a change).
 */
final class DryRunIpvs implements Ipvs {
  private final Ipvs kernel;

  DryRunIpvs(Ipvs kernel) {
    this.kernel = kernel;
  }

  @Override
  public IpvsInfo info() throws IOException {
    return kernel.info();
  }

  @Override
  public List<ServiceSnapshot> services() throws IOException {
    return kernel.services();
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    return kernel.timeouts();
  }

  @Override
  public List<SyncDaemon> syncDaemons() throws IOException {
    return kernel.syncDaemons();
  }

  @Override
  public void addService(IpvsService service) {}

  @Override
  public void updateService(IpvsService service) {}

  @Override
  public void deleteService(ServiceKey key) {}

  @Override
  public void addDest(ServiceKey service, IpvsDest dest) {}

  @Override
  public void updateDest(ServiceKey service, IpvsDest dest) {}

  @Override
  public void deleteDest(ServiceKey service, RealServerKey dest) {}

  @Override
  public void flush() {}

  @Override
  public void zero(ServiceKey service) {}

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) {}

  @Override
  public void startSyncDaemon(SyncDaemon daemon) {}

  @Override
  public void stopSyncDaemon(SyncDaemon.Role role) {}

  /** Leaves the kernel's table open: it is the caller's. */
  @Override
  public void close() {}
}

package io.lbkit.bench.scale;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import java.util.List;

/**
 * A dataplane that accepts every change and keeps nothing (an empty table when read), so
 * that the heap measured is lbkit's own (spec, Director model), not a fake kernel's copy.
 */
final class SinkIpvs implements Ipvs {
  long ops;

  @Override
  public IpvsInfo info() {
    throw new UnsupportedOperationException("sink");
  }

  @Override
  public List<ServiceSnapshot> services() {
    return List.of();
  }

  @Override
  public void addService(IpvsService service) {
    ops++;
  }

  @Override
  public void updateService(IpvsService service) {
    ops++;
  }

  @Override
  public void deleteService(ServiceKey key) {
    ops++;
  }

  @Override
  public void addDest(ServiceKey service, IpvsDest dest) {
    ops++;
  }

  @Override
  public void updateDest(ServiceKey service, IpvsDest dest) {
    ops++;
  }

  @Override
  public void deleteDest(ServiceKey service, RealServerKey dest) {
    ops++;
  }

  @Override
  public void flush() {
    ops++;
  }

  @Override
  public void zero(ServiceKey service) {
  }

  @Override
  public IpvsTimeouts timeouts() {
    throw new UnsupportedOperationException("sink");
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) {
  }

  @Override
  public List<SyncDaemon> syncDaemons() {
    return List.of();
  }

  @Override
  public void startSyncDaemon(SyncDaemon daemon) {
  }

  @Override
  public void stopSyncDaemon(SyncDaemon.Role role) {
  }

  @Override
  public void close() {
  }
}

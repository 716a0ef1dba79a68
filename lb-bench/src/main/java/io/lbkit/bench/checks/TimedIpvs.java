package io.lbkit.bench.checks;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsInfo;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.IpvsTimeouts;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.SyncDaemon;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link Ipvs} that passes every call to another and notes when each real server was
 * first switched out (weight set to 0, or removed): the moment the Director acted.
 */
final class TimedIpvs implements Ipvs {
  private final Ipvs delegate;
  private final Map<RealServerKey, Long> switchedOut = new ConcurrentHashMap<>();

  TimedIpvs(Ipvs delegate) {
    this.delegate = delegate;
  }

  /** System.nanoTime() of each real server's first switch-out since the last {@link #reset}. */
  Map<RealServerKey, Long> switchedOut() {
    return switchedOut;
  }

  void reset() {
    switchedOut.clear();
  }

  @Override
  public void updateDest(ServiceKey service, IpvsDest dest) throws IOException {
    delegate.updateDest(service, dest);
    if (dest.weight() == 0) {
      switchedOut.putIfAbsent(dest.key(), System.nanoTime());
    }
  }

  @Override
  public void deleteDest(ServiceKey service, RealServerKey dest) throws IOException {
    delegate.deleteDest(service, dest);
    switchedOut.putIfAbsent(dest, System.nanoTime());
  }

  @Override
  public IpvsInfo info() throws IOException {
    return delegate.info();
  }

  @Override
  public List<ServiceSnapshot> services() throws IOException {
    return delegate.services();
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    delegate.addService(service);
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    delegate.updateService(service);
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    delegate.deleteService(key);
  }

  @Override
  public void addDest(ServiceKey service, IpvsDest dest) throws IOException {
    delegate.addDest(service, dest);
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void zero(ServiceKey service) throws IOException {
    delegate.zero(service);
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    return delegate.timeouts();
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    delegate.setTimeouts(timeouts);
  }

  @Override
  public List<SyncDaemon> syncDaemons() throws IOException {
    return delegate.syncDaemons();
  }

  @Override
  public void startSyncDaemon(SyncDaemon daemon) throws IOException {
    delegate.startSyncDaemon(daemon);
  }

  @Override
  public void stopSyncDaemon(SyncDaemon.Role role) throws IOException {
    delegate.stopSyncDaemon(role);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}

package io.lbkit.runtime;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.CheckResult;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The builder's listeners as one; a listener's exception is logged and does not reach the thread that told it. */
final class Listeners implements RuntimeListener {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
  private final List<RuntimeListener> all;

  Listeners(List<RuntimeListener> all) {
    this.all = List.copyOf(all);
  }

  @Override
  public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
    each(l -> l.vrrpStateChanged(instance, from, to, reason));
  }

  @Override
  public void healthChanged(HealthEvent event) {
    each(l -> l.healthChanged(event));
  }

  @Override
  public void applied(Changes changes) {
    each(l -> l.applied(changes));
  }

  @Override
  public void bound(LoadBalancerRuntime runtime) {
    each(l -> l.bound(runtime));
  }

  @Override
  public void reloadFailed(Exception error) {
    each(l -> l.reloadFailed(error));
  }

  @Override
  public void reconciled(String cause, Reconciliation reconciliation) {
    each(l -> l.reconciled(cause, reconciliation));
  }

  @Override
  public void checkAttempted(ServiceKey service, RealServerKey real, String type, CheckResult result,
      long durationNanos, long lagNanos) {
    for (RuntimeListener l : all) { // no lambda: called per check attempt
      try {
        l.checkAttempted(service, real, type, result, durationNanos, lagNanos);
      } catch (RuntimeException e) {
        LOG.warn("runtime listener {} failed", l, e);
      }
    }
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  private void each(Consumer<RuntimeListener> call) {
    for (RuntimeListener l : all) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("runtime listener {} failed", l, e);
      }
    }
  }
}

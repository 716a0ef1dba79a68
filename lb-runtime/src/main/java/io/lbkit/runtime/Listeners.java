package io.lbkit.runtime;

import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.vrrp.VrrpState;
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

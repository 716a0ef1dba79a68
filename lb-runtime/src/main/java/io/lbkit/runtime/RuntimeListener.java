package io.lbkit.runtime;

import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.vrrp.VrrpState;

/**
 * Told what a {@link LoadBalancerRuntime} does. Every method has an empty default;
 * implement those you need. An exception thrown by a listener is logged and otherwise
 * ignored.
 *
 * <pre>{@code
 * LoadBalancerRuntime.builder().listener(new RuntimeListener() {
 *   public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
 *     log.info("{}: {} -> {} ({})", instance, from, to, reason);
 *   }
 * }).start(path);
 * }</pre>
 */
public interface RuntimeListener {
  /**
   * A VRRP instance changed state (on the VRRP notify thread, after the change).
   *
   * @param instance the vrrp_instance's name
   * @param from its old state
   * @param to its new state
   * @param reason why, e.g. {@code "master down timer expired"}
   */
  default void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {}

  /** A real server's health verdict changed (on the checking thread, after IPVS was updated). */
  default void healthChanged(HealthEvent event) {}

  /**
   * A configuration was applied: the first at start, then each successful reload (on
   * the thread that called start or reload, before it returns).
   */
  default void applied(Changes changes) {}
}

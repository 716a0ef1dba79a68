package io.lbkit.runtime;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.CheckResult;

/**
 * Told what a {@link LoadBalancerRuntime} does. Every method has an empty default;
 * implement those you need. An exception thrown by a listener is logged and otherwise
 * ignored. A runtime without listeners does no work for them: check attempts are then
 * not even timed.
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

  /**
   * This listener was given to {@code runtime}, which is about to apply its first
   * configuration (for listeners that read the runtime later, e.g. metrics' gauges).
   */
  default void bound(LoadBalancerRuntime runtime) {}

  /**
   * A configuration could not be applied by {@link LoadBalancerRuntime#reload}: the
   * running one stays.
   *
   * @param error why ({@link ConfigException} for a refused configuration)
   */
  default void reloadFailed(Exception error) {}

  /**
   * The dataplane was reconciled: at start and reload ({@code "apply"}), after a health
   * verdict ({@code "health"}) or by the periodic resync ({@code "resync"}, whose
   * applied operations are repairs of a table changed behind the runtime's back).
   */
  default void reconciled(String cause, Reconciliation reconciliation) {}

  /**
   * A check attempt finished (retries included), on the checking thread; only with the
   * runtime's own health checking. Must return quickly.
   *
   * @param service the virtual service
   * @param real the real server
   * @param type the check's type ({@code TCP_CHECK}, {@code HTTP_GET}, ...)
   * @param result its outcome
   * @param durationNanos how long it took
   * @param lagNanos how much later than scheduled it started
   */
  default void checkAttempted(ServiceKey service, RealServerKey real, String type, CheckResult result,
      long durationNanos, long lagNanos) {}
}

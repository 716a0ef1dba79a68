package io.lbkit.checks;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;

/**
 * Told of every finished check attempt (retries included), for metrics: its outcome,
 * how long it took and how late it started. Set with
 * {@link HealthMonitor.Builder#observer}; without one the scheduler reads no clock and
 * calls nothing per attempt. Called on a check thread with the scheduler's lock held:
 * return quickly (count, record, return). With several check threads
 * ({@link HealthMonitor.Builder#checkThreads}) it is called from several at once.
 *
 * <pre>{@code
 * HealthMonitor.builder().observer((service, real, type, result, nanos, lagNanos) ->
 *     durations.record(nanos, TimeUnit.NANOSECONDS)).build();
 * }</pre>
 */
@FunctionalInterface
public interface CheckObserver {
  /**
   * One attempt finished.
   *
   * @param service the virtual service
   * @param real the real server
   * @param type the check's type ({@code TCP_CHECK}, {@code HTTP_GET}, ...)
   * @param result its outcome
   * @param durationNanos from its start to its result, on the monitor's clock
   * @param lagNanos how much later than scheduled it was launched (timer and queueing delay)
   */
  void attempted(ServiceKey service, RealServerKey real, String type, CheckResult result, long durationNanos,
      long lagNanos);
}

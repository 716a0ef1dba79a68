package io.lbkit.checks;

import io.lbkit.api.check.CheckSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A plug-in health checker, for checks keepalived does not have. Implementations are
 * found by {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.lbkit.checks.Checker}) or passed to
 * {@link HealthMonitor.Builder#checker(Checker)}; a
 * {@link io.lbkit.api.check.CustomCheck} whose {@code type} equals {@link #type()} runs it.
 *
 * <p>The scheduler owns timing (interval, retries, rise/fall): a checker runs one
 * attempt. It must complete the returned stage within {@code timeout} (the scheduler
 * reports a late stage as a timeout and ignores its result) and must not block the
 * calling thread, a shared scheduler thread (start the I/O and return).
 *
 * <pre>{@code
 * public final class RedisPingChecker implements Checker {
 *   public String type() { return "REDIS_PING"; }
 *   public CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout) {...}
 * }
 * }</pre>
 */
public interface Checker {
  /** The name a {@code CustomCheck} uses to select this checker, e.g. {@code "REDIS_PING"}. */
  String type();

  /**
   * Starts one attempt against {@code target}.
   *
   * @param spec the configured check (a {@code CustomCheck} for plug-ins; its params are the settings)
   * @param target the address and port to check (connect_ip/connect_port already applied)
   * @param timeout connect_timeout: the attempt's deadline
   * @return the outcome; complete it exceptionally only for bugs (reported as down with the message)
   */
  CompletionStage<CheckResult> check(CheckSpec spec, InetSocketAddress target, Duration timeout);
}

package io.lbkit.api.check;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how often a check runs, with keepalived's meaning for each field and the
 * rise/fall and jitter extensions of HAProxy and Envoy.
 *
 * @param connectTimeout connect_timeout (keepalived default 5 s)
 * @param retry retry: extra attempts before declaring failure (keepalived default 1)
 * @param delayBeforeRetry delay_before_retry (default 1 s)
 * @param interval the delay_loop this check runs at; null = the virtual service's
 * @param warmup warmup: the first check happens at a random time within this, null = none
 * @param rise consecutive successes before up (keepalived: 1)
 * @param fall consecutive failed rounds before down (keepalived: 1, after the retries)
 */
public record CheckTiming(Duration connectTimeout, int retry, Duration delayBeforeRetry, Duration interval,
    Duration warmup, int rise, int fall) {

  /** keepalived's defaults. */
  public static final CheckTiming DEFAULT =
      new CheckTiming(Duration.ofSeconds(5), 1, Duration.ofSeconds(1), null, null, 1, 1);

  /** Validates. */
  public CheckTiming {
    Objects.requireNonNull(connectTimeout, "connect_timeout");
    Objects.requireNonNull(delayBeforeRetry, "delay_before_retry");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect_timeout must be positive: " + connectTimeout);
    }
    if (retry < 0) {
      throw new IllegalArgumentException("retry must not be negative: " + retry);
    }
    if (delayBeforeRetry.isNegative()) {
      throw new IllegalArgumentException("delay_before_retry must not be negative: " + delayBeforeRetry);
    }
    if (interval != null && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException("check interval must be positive: " + interval);
    }
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1: " + rise + "/" + fall);
    }
  }

  /** With a connect timeout. */
  public CheckTiming connectTimeout(Duration d) {
    return new CheckTiming(d, retry, delayBeforeRetry, interval, warmup, rise, fall);
  }

  /** With retries and the delay between them. */
  public CheckTiming retry(int n, Duration delay) {
    return new CheckTiming(connectTimeout, n, delay, interval, warmup, rise, fall);
  }

  /** With an interval of its own. */
  public CheckTiming interval(Duration d) {
    return new CheckTiming(connectTimeout, retry, delayBeforeRetry, d, warmup, rise, fall);
  }

  /** With a warmup window. */
  public CheckTiming warmup(Duration d) {
    return new CheckTiming(connectTimeout, retry, delayBeforeRetry, interval, d, rise, fall);
  }

  /** With rise/fall counts. */
  public CheckTiming riseFall(int r, int f) {
    return new CheckTiming(connectTimeout, retry, delayBeforeRetry, interval, warmup, r, f);
  }
}

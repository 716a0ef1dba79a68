package io.lbkit.config.keepalived;

import io.lbkit.api.check.CheckTiming;
import java.time.Duration;

/**
 * The checker timing a virtual_server or real_server block sets for the checkers below it
 * (keepalived: a checker's own value, else its real_server's, else its virtual_server's,
 * else the checker type's default). A null field is not set at this level. The
 * virtual_server's delay_loop is not here: it is the service's own delay loop.
 */
record CheckDefaults(Long retry, Duration connectTimeout, Duration delayBeforeRetry, Duration warmup,
    Duration interval) {
  static final CheckDefaults NONE = new CheckDefaults(null, null, null, null, null);

  /** This level's values, falling back to {@code outer}'s. */
  CheckDefaults over(CheckDefaults outer) {
    return new CheckDefaults(retry != null ? retry : outer.retry,
        connectTimeout != null ? connectTimeout : outer.connectTimeout,
        delayBeforeRetry != null ? delayBeforeRetry : outer.delayBeforeRetry,
        warmup != null ? warmup : outer.warmup, interval != null ? interval : outer.interval);
  }

  /** A checker type's default timing with these values laid over it. */
  CheckTiming applyTo(CheckTiming t) {
    if (retry != null) {
      t = t.retry(CheckMapper.retryCount(retry), t.delayBeforeRetry());
    }
    if (connectTimeout != null) {
      t = t.connectTimeout(connectTimeout);
    }
    if (delayBeforeRetry != null) {
      t = t.retry(t.retry(), delayBeforeRetry);
    }
    if (warmup != null) {
      t = t.warmup(warmup);
    }
    return interval != null ? t.interval(interval) : t;
  }

  /**
   * Reads one timing keyword (retry, connect_timeout, delay_before_retry, warmup,
   * delay_loop) of a virtual_server or real_server block with keepalived's ranges there
   * (retry starts at 1, unlike inside a checker); returns this unchanged if its value is
   * bad (reported) or the keyword is another one.
   */
  CheckDefaults read(Node n, Values v) {
    switch (n.name()) {
      case "retry" -> {
        Long r = v.decimal(n, 0, 1, Values.UINT_MAX);
        return r == null ? this : new CheckDefaults(r, connectTimeout, delayBeforeRetry, warmup, interval);
      }
      case "connect_timeout" -> {
        Duration c = v.timer(n, 0, 1, Values.UINT_MAX);
        return c == null ? this : new CheckDefaults(retry, c, delayBeforeRetry, warmup, interval);
      }
      case "delay_before_retry" -> {
        Duration c = v.timer(n, 0, 0, null);
        return c == null ? this : new CheckDefaults(retry, connectTimeout, c, warmup, interval);
      }
      case "warmup" -> {
        Duration c = v.timer(n, 0, 0, null);
        return c == null ? this : new CheckDefaults(retry, connectTimeout, delayBeforeRetry, c, interval);
      }
      case "delay_loop" -> {
        Duration c = v.timer(n, 0, 1, null);
        return c == null ? this : new CheckDefaults(retry, connectTimeout, delayBeforeRetry, warmup, c);
      }
      default -> {
        return this;
      }
    }
  }
}

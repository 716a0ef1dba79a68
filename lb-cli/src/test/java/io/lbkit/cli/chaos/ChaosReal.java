package io.lbkit.cli.chaos;

import java.util.Locale;

/**
 * One real server of the director chaos run: its port on 127.0.0.1, weight and check (HTTP_GET
 * of / wanting 200, or TCP_CHECK), the health its backend's mode calls for, and the bound within
 * which the check must have seen a change:
 * {@code delay_loop + (retry + 1) x connect_timeout + retry x delay_before_retry} (the next round
 * starts within delay_loop, each failed attempt lasts at most connect_timeout, and a round fails
 * after its retries; a down check is not retried, so coming up is quicker).
 */
record ChaosReal(int port, int weight, boolean http, double connectTimeout, int retry, double delayBeforeRetry,
    boolean inhibit) {

  /** 127.0.0.1:PORT, as status and show name it. */
  String key() {
    return "127.0.0.1:" + port;
  }

  String kind() {
    return http ? "HTTP_GET" : "TCP_CHECK";
  }

  /** Up for HTTP_GET only when healthy; for TCP_CHECK whenever it accepts. */
  boolean expectUp(Backends.Mode mode) {
    return http ? mode == Backends.Mode.HEALTHY : mode != Backends.Mode.DOWN;
  }

  /** The check's bound with this {@code delayLoop}, in nanoseconds. */
  long boundNanos(double delayLoop) {
    return (long) ((delayLoop + (retry + 1) * connectTimeout + retry * delayBeforeRetry) * 1e9);
  }

  /** The weight the dataplane must show: the configured one when up, 0 (inhibit_on_failure) or absent (-1). */
  int dataplaneWeight(boolean up) {
    return up ? weight : inhibit ? 0 : -1;
  }

  /** Its real_server block. */
  String conf() {
    String check = http
        ? "    HTTP_GET {\n      url {\n        path /\n        status_code 200\n      }\n"
        : "    TCP_CHECK {\n";
    return String.format(Locale.ROOT, "  real_server 127.0.0.1 %d {\n    weight %d\n%s%s      connect_timeout %s\n"
        + "      retry %d\n      delay_before_retry %s\n    }\n  }\n", port, weight, inhibit ? "    inhibit_on_failure\n"
        : "", check, num(connectTimeout), retry, num(delayBeforeRetry));
  }

  private static String num(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}

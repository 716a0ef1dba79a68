package io.lbkit.checks;

import java.util.Objects;

/**
 * The outcome of one check attempt, as a {@link Checker} reports it.
 *
 * @param up whether the attempt succeeded
 * @param weight a weight the check sets (keepalived's misc_dynamic, FILE_CHECK), or -1 for none
 * @param reason why, for logs: {@code "status 200"}, {@code "connection refused"}
 */
public record CheckResult(boolean up, int weight, String reason) {
  /** Validates. */
  public CheckResult {
    Objects.requireNonNull(reason, "reason");
    if (weight < -1 || weight > 65535) {
      throw new IllegalArgumentException("check weight out of range 0-65535: " + weight);
    }
  }

  /** A success keeping the configured weight. */
  public static CheckResult up(String reason) {
    return new CheckResult(true, -1, reason);
  }

  /** A success that sets the weight. */
  public static CheckResult upWithWeight(int weight, String reason) {
    return new CheckResult(true, weight, reason);
  }

  /** A failure. */
  public static CheckResult down(String reason) {
    return new CheckResult(false, -1, reason);
  }
}

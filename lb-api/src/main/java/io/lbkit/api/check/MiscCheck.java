package io.lbkit.api.check;

import java.time.Duration;
import java.util.List;

/**
 * keepalived's MISC_CHECK: run a program (without a shell). Exit 0 = up, 1 = down;
 * with {@code dynamic}, 2-255 = up with weight code - 2.
 *
 * @param command program and arguments
 * @param timeout misc_timeout: the program is killed after this
 * @param dynamic misc_dynamic
 * @param user user to run as, or null for the default script user
 * @param timing timing
 * @param target unused by the program itself, kept for symmetry
 */
public record MiscCheck(List<String> command, Duration timeout, boolean dynamic, String user, CheckTiming timing,
    CheckTarget target) implements CheckSpec {
  /** Validates. */
  public MiscCheck {
    command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new IllegalArgumentException("misc_path must name a program");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("misc_timeout must be positive: " + timeout);
    }
  }

  @Override
  public String type() {
    return "MISC_CHECK";
  }
}

package io.lbkit.api.check;

/**
 * A health check of a real server, as configured. lb-checks runs the built-in
 * kinds; a custom kind is a {@link CustomCheck} whose {@code type} names a checker
 * found by {@code ServiceLoader}.
 */
public interface CheckSpec {
  /** keepalived's keyword for the check: {@code TCP_CHECK}, {@code HTTP_GET}… */
  String type();

  /** Timing and retry policy. */
  CheckTiming timing();

  /** Where to connect, overriding the real server's address and port. */
  CheckTarget target();
}

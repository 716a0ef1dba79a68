package io.lbkit.api.check;

import io.lbkit.api.Director;
import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import java.util.Objects;

/**
 * A health checker's verdict on one real server, as the Director consumes it.
 *
 * @param service the virtual service
 * @param real the real server
 * @param up whether it is up
 * @param weight a weight set by the check (keepalived's misc_dynamic or FILE_CHECK),
 *     or -1 to keep the configured weight
 * @param reason why, for logs: {@code "connection refused"}, {@code "status 503"}
 */
public record HealthEvent(ServiceKey service, RealServerKey real, boolean up, int weight, String reason) {
  /** Validates. */
  public HealthEvent {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(real, "real");
    if (weight < -1 || weight > RealServer.MAX_WEIGHT) {
      throw new IllegalArgumentException("dynamic weight out of range 0-65535: " + weight);
    }
    reason = reason == null ? "" : reason;
  }

  /** The server is up with its configured weight. */
  public static HealthEvent up(ServiceKey service, RealServerKey real, String reason) {
    return new HealthEvent(service, real, true, -1, reason);
  }

  /** The server is down. */
  public static HealthEvent down(ServiceKey service, RealServerKey real, String reason) {
    return new HealthEvent(service, real, false, -1, reason);
  }
}

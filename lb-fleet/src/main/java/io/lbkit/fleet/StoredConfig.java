package io.lbkit.fleet;

import java.util.Objects;

/**
 * The keepalived.conf text stored under a fleet's key, as etcd returned it.
 *
 * @param text the configuration text (UTF-8 in etcd)
 * @param revision the key's modification revision: what {@code lbctl put --if-revision} compares with, and what a
 *     director reports as applied
 */
public record StoredConfig(String text, long revision) {
  /** Checks the values. */
  public StoredConfig {
    Objects.requireNonNull(text, "text");
    if (revision <= 0) {
      throw new IllegalArgumentException("revision must be positive: " + revision);
    }
  }
}

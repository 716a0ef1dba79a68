package io.lbkit.vrrp.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of a {@link VrrpFsm}; replaced whole on a live change
 * ({@link VrrpFsm#reconfigure}).
 *
 * @param name instance name (for logs)
 * @param version 2 or 3
 * @param priority base priority 1-255
 * @param advertCentis our advert interval, centiseconds
 * @param preempt preempt a lower-priority master
 * @param preemptDelay keepalived's preempt_delay: after first seeing a lower-priority master, wait this long
 * @param primaryAddress our source address, for the equal-priority tie-break
 * @param startAsMaster keepalived's {@code state MASTER}: take over after skew time unless a master is heard
 */
public record VrrpFsmConfig(String name, int version, int priority, int advertCentis, boolean preempt,
    Duration preemptDelay, InetAddress primaryAddress, boolean startAsMaster) {
  /** Validates. */
  public VrrpFsmConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(primaryAddress, "primaryAddress");
    if (priority < 1 || priority > 255) {
      throw new IllegalArgumentException(name + ": priority out of range 1-255: " + priority);
    }
  }
}

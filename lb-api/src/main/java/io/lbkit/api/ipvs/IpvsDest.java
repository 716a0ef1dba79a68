package io.lbkit.api.ipvs;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.RealServerKey;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A destination (real server) as the kernel holds it: what
 * {@code IPVS_CMD_NEW_DEST}/{@code SET_DEST} carry.
 *
 * @param key address and port
 * @param forwarding forwarding method and tunnel parameters
 * @param weight 0-65535 (the kernel takes any non-negative int; ipvsadm limits it)
 * @param upperThreshold connection upper threshold, 0 = none
 * @param lowerThreshold connection lower threshold, 0 = none
 */
public record IpvsDest(RealServerKey key, Forwarding forwarding, int weight, long upperThreshold,
    long lowerThreshold) {

  /** Validates. */
  public IpvsDest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(forwarding, "forwarding");
    if (weight < 0) {
      throw new IllegalArgumentException("weight must not be negative: " + weight);
    }
  }

  /** A destination with no thresholds. */
  public static IpvsDest of(InetAddress address, int port, Forwarding forwarding, int weight) {
    return new IpvsDest(new RealServerKey(address, port), forwarding, weight, 0, 0);
  }

  /** The family of the destination's address. */
  public Family family() {
    return Family.of(key.address());
  }

  /** The same destination with another weight. */
  public IpvsDest withWeight(int w) {
    return new IpvsDest(key, forwarding, w, upperThreshold, lowerThreshold);
  }
}

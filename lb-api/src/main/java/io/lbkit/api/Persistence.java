package io.lbkit.api;

/**
 * Persistence of a virtual service: clients from the same network keep going to the
 * same real server for {@code timeoutSeconds} after their last connection.
 *
 * @param timeoutSeconds persistence timeout, 1 or more seconds
 * @param prefixLength granularity as a prefix length: 32 (IPv4) or 128 (IPv6) is
 *     per-client; ipvsadm's {@code -M 255.255.255.0} is 24
 * @param engine persistence engine name ({@code "sip"}), or null for none
 */
public record Persistence(int timeoutSeconds, int prefixLength, String engine) {

  /** The kernel's default timeout when persistence is asked for without one (ipvsadm and keepalived: 360 s). */
  public static final int DEFAULT_TIMEOUT = 360;

  /** Validates the values. */
  public Persistence {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("persistence timeout must be at least 1 second: " + timeoutSeconds);
    }
    if (prefixLength < 1 || prefixLength > 128) {
      throw new IllegalArgumentException("persistence granularity prefix out of range 1-128: " + prefixLength);
    }
    if (engine != null && (engine.isEmpty() || engine.length() > 15)) {
      throw new IllegalArgumentException("invalid persistence engine: \"" + engine + "\"");
    }
  }

  /** Per-client persistence for this many seconds, no engine. */
  public static Persistence of(int timeoutSeconds) {
    return new Persistence(timeoutSeconds, 128, null);
  }

  /** The same, with this granularity prefix (24 = clients in one /24 stick together). */
  public Persistence withGranularity(int prefix) {
    return new Persistence(timeoutSeconds, prefix, engine);
  }

  /** The same, with a persistence engine. */
  public Persistence withEngine(String pe) {
    return new Persistence(timeoutSeconds, prefixLength, pe);
  }

  /** The effective prefix for a family: 128 means "whole address" for either family. */
  public int prefixFor(Family family) {
    return Math.min(prefixLength, family.bits());
  }

  /** An IPv4 netmask as the kernel holds it (host order int, e.g. 0xffffff00 for /24). */
  public static int maskOf(int prefix) {
    return prefix >= 32 ? 0xffffffff : prefix <= 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
  }

  /**
   * The prefix of an IPv4 netmask.
   *
   * @throws IllegalArgumentException if the mask's ones are not contiguous
   */
  public static int prefixOfMask(int mask) {
    int prefix = Integer.bitCount(mask);
    if (maskOf(prefix) != mask) {
      throw new IllegalArgumentException(String.format("not a contiguous netmask: 0x%08x", mask));
    }
    return prefix;
  }
}

package io.lbkit.api.ipvs;

import io.lbkit.api.Family;
import io.lbkit.api.Persistence;
import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A virtual service as the kernel holds it (no real servers, no health policy):
 * what {@code IPVS_CMD_NEW_SERVICE}/{@code SET_SERVICE} carry.
 *
 * @param key identity
 * @param scheduler scheduler
 * @param schedulerFlags scheduler flags
 * @param persistence persistence or null
 * @param onePacket one-packet scheduling
 */
public record IpvsService(ServiceKey key, Scheduler scheduler, Set<SchedulerFlag> schedulerFlags,
    Persistence persistence, boolean onePacket) {

  /** Kernel flag: persistent (IP_VS_SVC_F_PERSISTENT). */
  public static final int F_PERSISTENT = 0x1;
  /** Kernel flag: hashed; set by the kernel on every listed service, not a user flag. */
  public static final int F_HASHED = 0x2;
  /** Kernel flag: one-packet scheduling. */
  public static final int F_ONEPACKET = 0x4;

  /** Validates and copies. */
  public IpvsService {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
    schedulerFlags = schedulerFlags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(schedulerFlags));
    if (persistence != null && persistence.prefixLength() > key.family().bits()) {
      persistence = persistence.withGranularity(key.family().bits());
    }
  }

  /** A plain service: no flags, no persistence. */
  public static IpvsService of(ServiceKey key, Scheduler scheduler) {
    return new IpvsService(key, scheduler, Set.of(), null, false);
  }

  /** The user-visible kernel flags word (persistent, one-packet, scheduler bits; never HASHED). */
  public int flags() {
    int f = SchedulerFlag.toBits(schedulerFlags);
    if (persistence != null) {
      f |= F_PERSISTENT;
    }
    if (onePacket) {
      f |= F_ONEPACKET;
    }
    return f;
  }

  /** Timeout in seconds the kernel stores (0 when not persistent). */
  public int timeout() {
    return persistence == null ? 0 : persistence.timeoutSeconds();
  }

  /**
   * The netmask attribute as the kernel holds it: for IPv4 a host-order mask
   * (0xffffffff when not persistent), for IPv6 a prefix length (128 by default).
   */
  public int netmask() {
    int prefix = persistence == null ? key.family().bits() : persistence.prefixFor(key.family());
    return key.family() == Family.INET ? Persistence.maskOf(prefix) : prefix;
  }

  /** The persistence engine name, or null. */
  public String persistenceEngine() {
    return persistence == null ? null : persistence.engine();
  }

  /**
   * Builds the value from kernel fields as a dump returns them; the HASHED bit and
   * timeout/netmask of a non-persistent service are ignored.
   */
  public static IpvsService fromKernel(ServiceKey key, String schedName, int flags, int timeout, int netmask,
      String pe) {
    Scheduler s = Scheduler.of(schedName);
    Persistence p = null;
    if ((flags & F_PERSISTENT) != 0) {
      int prefix = key.family() == Family.INET ? Persistence.prefixOfMask(netmask) : netmask;
      p = new Persistence(Math.max(timeout, 1), prefix == key.family().bits() ? 128 : prefix,
          pe == null || pe.isEmpty() ? null : pe);
    }
    return new IpvsService(key, s, SchedulerFlag.fromBits(s, flags), p, (flags & F_ONEPACKET) != 0);
  }
}

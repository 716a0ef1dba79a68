package io.lbkit.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Scheduler flags of an IPVS service (IP_VS_SVC_F_SCHED1..3). Their meaning depends
 * on the scheduler: the same kernel bit is {@code sh-fallback} for sh and
 * {@code mh-fallback} for mh, and a plain {@code flag-1} for anything else.
 */
public enum SchedulerFlag {
  /** sh: fall back to another server when the hashed one is unavailable (SCHED1). */
  SH_FALLBACK("sh-fallback", 0x08, "sh"),
  /** sh: hash the source port too (SCHED2). */
  SH_PORT("sh-port", 0x10, "sh"),
  /** mh: fall back when the chosen server is unavailable (SCHED1). */
  MH_FALLBACK("mh-fallback", 0x08, "mh"),
  /** mh: hash the source port too (SCHED2). */
  MH_PORT("mh-port", 0x10, "mh"),
  /** The raw IP_VS_SVC_F_SCHED1 bit, for other schedulers. */
  FLAG_1("flag-1", 0x08, null),
  /** The raw IP_VS_SVC_F_SCHED2 bit, for other schedulers. */
  FLAG_2("flag-2", 0x10, null),
  /** The raw IP_VS_SVC_F_SCHED3 bit, for other schedulers. */
  FLAG_3("flag-3", 0x20, null);

  /** The bits of the service flags word that carry scheduler flags. */
  public static final int MASK = 0x38;

  private final String label;
  private final int bit;
  private final String scheduler;

  SchedulerFlag(String label, int bit, String scheduler) {
    this.label = label;
    this.bit = bit;
    this.scheduler = scheduler;
  }

  /** The name ipvsadm and keepalived use ({@code sh-port}, {@code flag-1}…). */
  public String label() {
    return label;
  }

  /** The kernel bit. */
  public int bit() {
    return bit;
  }

  /** True if this flag may be set on a service with this scheduler. */
  public boolean appliesTo(Scheduler s) {
    if (scheduler != null) {
      return scheduler.equals(s.name());
    }
    return !s.name().equals("sh") && !s.name().equals("mh");
  }

  /**
   * The flag with this label.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public static SchedulerFlag ofLabel(String label) {
    for (SchedulerFlag f : values()) {
      if (f.label.equals(label)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown scheduler flag: \"" + label + "\"");
  }

  /** The kernel bits of a set of flags. */
  public static int toBits(Set<SchedulerFlag> flags) {
    int bits = 0;
    for (SchedulerFlag f : flags) {
      bits |= f.bit;
    }
    return bits;
  }

  /** The flags a service with this scheduler has for the given service flag bits. */
  public static Set<SchedulerFlag> fromBits(Scheduler s, int bits) {
    Set<SchedulerFlag> out = EnumSet.noneOf(SchedulerFlag.class);
    for (SchedulerFlag f : values()) {
      if ((bits & f.bit) != 0 && f.appliesTo(s)) {
        out.add(f);
      }
    }
    return out;
  }
}

package io.lbkit.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An IPVS scheduler, as an open enum: the named constants cover every scheduler in
 * mainline Linux, and {@link #of(String)} keeps any other name the kernel reports
 * (a scheduler module of a newer kernel) instead of failing.
 */
public final class Scheduler {
  /** Round robin. */
  public static final Scheduler RR = new Scheduler("rr", "round robin");
  /** Weighted round robin. */
  public static final Scheduler WRR = new Scheduler("wrr", "weighted round robin");
  /** Least connections. */
  public static final Scheduler LC = new Scheduler("lc", "least connection");
  /** Weighted least connections (the kernel's default). */
  public static final Scheduler WLC = new Scheduler("wlc", "weighted least connection");
  /** Locality-based least connections. */
  public static final Scheduler LBLC = new Scheduler("lblc", "locality-based least connection");
  /** Locality-based least connections with replication. */
  public static final Scheduler LBLCR = new Scheduler("lblcr", "locality-based least connection with replication");
  /** Destination hashing. */
  public static final Scheduler DH = new Scheduler("dh", "destination hashing");
  /** Source hashing; takes {@link SchedulerFlag#SH_FALLBACK} and {@link SchedulerFlag#SH_PORT}. */
  public static final Scheduler SH = new Scheduler("sh", "source hashing");
  /** Shortest expected delay. */
  public static final Scheduler SED = new Scheduler("sed", "shortest expected delay");
  /** Never queue. */
  public static final Scheduler NQ = new Scheduler("nq", "never queue");
  /** Weighted failover. */
  public static final Scheduler FO = new Scheduler("fo", "weighted failover");
  /** Weighted overflow. */
  public static final Scheduler OVF = new Scheduler("ovf", "weighted overflow");
  /** Maglev hashing; takes {@link SchedulerFlag#MH_FALLBACK} and {@link SchedulerFlag#MH_PORT}. */
  public static final Scheduler MH = new Scheduler("mh", "maglev hashing");
  /** Weighted random twos choice. */
  public static final Scheduler TWOS = new Scheduler("twos", "weighted random twos choice");

  private static final List<Scheduler> KNOWN =
      List.of(RR, WRR, LC, WLC, LBLC, LBLCR, DH, SH, SED, NQ, FO, OVF, MH, TWOS);

  private final String name;
  private final String description;

  private Scheduler(String name, String description) {
    this.name = name;
    this.description = description;
  }

  /**
   * The scheduler with this kernel name ({@code "rr"}, {@code "wlc"}…). An unknown
   * but well-formed name gives an unknown scheduler rather than an error: the kernel
   * decides (it answers ENOENT when no such module exists).
   *
   * @throws IllegalArgumentException if the name is empty, too long for the kernel
   *     (IP_VS_SCHEDNAME_MAXLEN is 16 including the NUL) or has characters outside
   *     {@code [a-z0-9_-]}
   */
  public static Scheduler of(String name) {
    Objects.requireNonNull(name, "scheduler name");
    String n = name.toLowerCase(Locale.ROOT);
    for (Scheduler s : KNOWN) {
      if (s.name.equals(n)) {
        return s;
      }
    }
    if (n.isEmpty() || n.length() > 15 || !n.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException("invalid scheduler name: \"" + name + "\"");
    }
    return new Scheduler(n, null);
  }

  /** Every scheduler mainline Linux ships, in ipvsadm's order. */
  public static List<Scheduler> known() {
    return KNOWN;
  }

  /** The kernel's name, as ipvsadm prints it. */
  public String name() {
    return name;
  }

  /** True if this is one of {@link #known()}. */
  public boolean isKnown() {
    return description != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scheduler && ((Scheduler) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** The kernel name, e.g. {@code rr}. */
  @Override
  public String toString() {
    return name;
  }
}

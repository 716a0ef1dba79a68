package io.lbkit.api;

import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real server (IPVS destination) of a virtual service: immutable; every
 * {@code withX}/fluent call returns a new value.
 *
 * <pre>{@code
 * RealServer web1 = RealServer.of("192.168.0.61", 80).weight(1).inhibitOnFailure()
 *     .check(HttpCheck.get("/test.html").status(200));
 * }</pre>
 */
public final class RealServer {
  /** Largest weight ipvsadm and keepalived accept. */
  public static final int MAX_WEIGHT = 65535;

  private final RealServerKey key;
  private final int weight;
  private final long upperThreshold;
  private final long lowerThreshold;
  private final Forwarding forwarding;
  private final boolean inhibitOnFailure;
  private final List<CheckSpec> checks;
  private final Notify notify;

  /** keepalived's notify_up / notify_down commands (null = none). */
  private record Notify(String up, String down) {
    static final Notify NONE = new Notify(null, null);
  }

  private RealServer(RealServerKey key, int weight, long upper, long lower, Forwarding forwarding,
      boolean inhibit, List<CheckSpec> checks) {
    this(key, weight, upper, lower, forwarding, inhibit, checks, Notify.NONE);
  }

  private RealServer(RealServerKey key, int weight, long upper, long lower, Forwarding forwarding,
      boolean inhibit, List<CheckSpec> checks, Notify notify) {
    if (weight < 0 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight of " + key + " out of range 0-" + MAX_WEIGHT + ": " + weight);
    }
    if (upper < 0 || upper > 0xffffffffL) {
      throw new IllegalArgumentException("upper threshold of " + key + " out of range 0-4294967295: " + upper);
    }
    if (lower < 0 || lower > 0xffffffffL) {
      throw new IllegalArgumentException("lower threshold of " + key + " out of range 0-4294967295: " + lower);
    }
    if (lower > upper) {
      throw new IllegalArgumentException("lower threshold of " + key + " (" + lower
          + ") is above its upper threshold (" + upper + ")");
    }
    this.key = key;
    this.weight = weight;
    this.upperThreshold = upper;
    this.lowerThreshold = lower;
    this.forwarding = forwarding;
    this.inhibitOnFailure = inhibit;
    this.checks = checks;
    this.notify = notify;
  }

  /** A real server at this address and port, weight 1, the service's forwarding. */
  public static RealServer of(InetAddress address, int port) {
    return new RealServer(new RealServerKey(address, port), 1, 0, 0, null, false, List.of());
  }

  /** A real server at this address literal and port (no DNS lookup). */
  public static RealServer of(String address, int port) {
    return of(Inet.parse(address), port);
  }

  /** Its identity within the service. */
  public RealServerKey key() {
    return key;
  }

  /** Its address. */
  public InetAddress address() {
    return key.address();
  }

  /** Its port. */
  public int port() {
    return key.port();
  }

  /** Its configured weight (0-65535). */
  public int weight() {
    return weight;
  }

  /** Upper connection threshold; 0 = none. */
  public long upperThreshold() {
    return upperThreshold;
  }

  /** Lower connection threshold; 0 = none. */
  public long lowerThreshold() {
    return lowerThreshold;
  }

  /** Forwarding that overrides the service's, if any. */
  public Optional<Forwarding> forwarding() {
    return Optional.ofNullable(forwarding);
  }

  /** True if a failed check sets weight 0 instead of removing the server (keepalived's inhibit_on_failure). */
  public boolean isInhibitOnFailure() {
    return inhibitOnFailure;
  }

  /** Health checks of this server; all must pass for it to be up. */
  public List<CheckSpec> checks() {
    return checks;
  }

  /**
   * With a command run when this server goes up (keepalived's {@code notify_up}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public RealServer notifyUpCommand(String command) {
    return new RealServer(key, weight, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure, checks,
        new Notify(command(command, "notify_up"), notify.down()));
  }

  /**
   * With a command run when this server goes down (keepalived's {@code notify_down}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public RealServer notifyDownCommand(String command) {
    return new RealServer(key, weight, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure, checks,
        new Notify(notify.up(), command(command, "notify_down")));
  }

  /** The notify_up command, if any. */
  public Optional<String> notifyUpCommand() {
    return Optional.ofNullable(notify.up());
  }

  /** The notify_down command, if any. */
  public Optional<String> notifyDownCommand() {
    return Optional.ofNullable(notify.down());
  }

  private static String command(String c, String what) {
    if (c != null && c.isBlank()) {
      throw new IllegalArgumentException(what + " command is blank: '" + c + "'");
    }
    return c;
  }

  /** With this weight. @throws IllegalArgumentException outside 0-65535 */
  public RealServer weight(int w) {
    return new RealServer(key, w, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure, checks, notify);
  }

  /** With connection thresholds (0 = none); lower must not exceed upper. */
  public RealServer thresholds(long upper, long lower) {
    return new RealServer(key, weight, upper, lower, forwarding, inhibitOnFailure, checks, notify);
  }

  /** With this forwarding instead of the service's. */
  public RealServer forwarding(Forwarding f) {
    return new RealServer(key, weight, upperThreshold, lowerThreshold, Objects.requireNonNull(f, "forwarding"),
        inhibitOnFailure, checks, notify);
  }

  /** Set weight 0 on failure instead of removing the server. */
  public RealServer inhibitOnFailure() {
    return inhibitOnFailure(true);
  }

  /** Whether to set weight 0 on failure instead of removing the server. */
  public RealServer inhibitOnFailure(boolean inhibit) {
    return new RealServer(key, weight, upperThreshold, lowerThreshold, forwarding, inhibit, checks, notify);
  }

  /** With one more health check. */
  public RealServer check(CheckSpec check) {
    List<CheckSpec> l = new ArrayList<>(checks);
    l.add(Objects.requireNonNull(check, "check"));
    return new RealServer(key, weight, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure,
        Collections.unmodifiableList(l), notify);
  }

  /** With exactly these health checks. */
  public RealServer checks(List<CheckSpec> list) {
    return new RealServer(key, weight, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure, List.copyOf(list),
        notify);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RealServer)) {
      return false;
    }
    RealServer r = (RealServer) o;
    return key.equals(r.key) && weight == r.weight && upperThreshold == r.upperThreshold
        && lowerThreshold == r.lowerThreshold && Objects.equals(forwarding, r.forwarding)
        && inhibitOnFailure == r.inhibitOnFailure && checks.equals(r.checks) && notify.equals(r.notify);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, weight, upperThreshold, lowerThreshold, forwarding, inhibitOnFailure, checks);
  }

  @Override
  public String toString() {
    return "RealServer[" + key + " weight=" + weight
        + (forwarding != null ? " " + forwarding.method() : "")
        + (upperThreshold != 0 || lowerThreshold != 0 ? " thresholds=" + upperThreshold + "/" + lowerThreshold : "")
        + (inhibitOnFailure ? " inhibit" : "") + (checks.isEmpty() ? "" : " checks=" + checks) + "]";
  }
}

package io.lbkit.api.vrrp;

import java.time.Duration;
import java.util.List;

/**
 * keepalived's vrrp_script: a program run every {@code interval}; success adds
 * {@code weight} to the priority (weight &gt; 0) or failure subtracts it (weight &lt;
 * 0); weight 0 means failure puts the instance in FAULT.
 *
 * @param name the script's name
 * @param command program and arguments (run without a shell)
 * @param interval how often
 * @param timeout kill after this
 * @param weight priority change
 * @param rise successes before OK
 * @param fall failures before KO
 * @param user user to run as, or null
 */
public record TrackedScript(String name, List<String> command, Duration interval, Duration timeout, int weight,
    int rise, int fall, String user) {
  /** Validates. */
  public TrackedScript {
    command = List.copyOf(command);
    if (name == null || name.isEmpty() || command.isEmpty()) {
      throw new IllegalArgumentException("vrrp_script needs a name and a script");
    }
    if (weight < -253 || weight > 253) {
      throw new IllegalArgumentException("vrrp_script " + name + " weight out of range -253..253: " + weight);
    }
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("vrrp_script " + name + " rise and fall must be at least 1");
    }
  }
}

package io.lbkit.vrrp;

import java.util.Map;

/**
 * What a {@link VrrpRouter}'s tracking sees now ({@link VrrpRouter#tracking()}), for
 * status pages and metrics: each vrrp_script's result, each track_file's value, and
 * each instance's tracked interfaces. Only names and values: no script command,
 * argument or user, no file path.
 *
 * @param scripts each defined vrrp_script by name
 * @param files each track_file block by name: the number it holds now (0 when the file
 *     is missing, empty or not a number, as keepalived reads it)
 * @param interfaces each instance by name: its track_interface entries, interface name
 *     to whether the link is up now
 */
public record TrackingStatus(Map<String, Script> scripts, Map<String, Long> files,
    Map<String, Map<String, Boolean>> interfaces) {

  /** Nothing tracked. */
  public static final TrackingStatus EMPTY = new TrackingStatus(Map.of(), Map.of(), Map.of());

  /** Copies. */
  public TrackingStatus {
    scripts = Map.copyOf(scripts);
    files = Map.copyOf(files);
    interfaces = Map.copyOf(interfaces);
  }

  /** A vrrp_script's result, keepalived's GOOD / BAD after rise/fall. */
  public enum Result {
    /** Succeeding (after rise successes). */
    GOOD,
    /** Failing (after fall failures). */
    BAD,
    /**
     * Not known: no run has ended yet, no instance tracks it (it is not run), or the
     * script policy refused it (instances track it as if it were not there).
     */
    UNKNOWN
  }

  /**
   * One vrrp_script.
   *
   * @param result its result
   * @param running whether a run is in progress now (keepalived's script state
   *     {@code running}, else {@code idle})
   */
  public record Script(Result result, boolean running) {}
}

package io.lbkit.cli.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invariants of the director chaos run ({@link DirectorChaos}), checked at each look, and
 * what the run measured.
 */
final class DirectorLook {
  private static final Pattern STATUS_REAL = Pattern.compile(
      "\\{\"real\":\"([^\"]+)\",\"up\":(true|false),\"weight\":(-?\\d+)");

  /** One real server's backend mode, the health it calls for and since when. */
  static final class Track {
    final ChaosReal real;
    Backends.Mode mode = Backends.Mode.HEALTHY;
    long flapUntil;
    long nextToggle;
    boolean truth = true;
    long truthSince;
    private boolean needsChange;
    private boolean seen;
    private boolean reported;
    private boolean killWhileOthersMisbehave;
    private boolean lastObservedUp = true;
    private int disagree;

    Track(ChaosReal real) {
      this.real = real;
    }

    /** The backend now behaves as {@code m}; a new epoch if the health it calls for changed. */
    void change(Backends.Mode m, long now, boolean othersMisbehave) {
      boolean before = truth;
      boolean wasHealthy = mode == Backends.Mode.HEALTHY;
      mode = m;
      truth = real.expectUp(m);
      if (truth != before) {
        truthSince = now;
        needsChange = lastObservedUp != truth;
        seen = false;
        reported = false;
        killWhileOthersMisbehave = wasHealthy && m == Backends.Mode.DOWN && othersMisbehave;
      }
    }
  }

  /** What the run saw. */
  record Report(long seed, int seconds, int[] faults, int looks, int detections, long maxDownMs, long maxUpMs,
      double worstOfBound, int killsWhileOthersMisbehave, long maxKillMs, long maxStatusMs, long slowAnswers,
      long rssMinKb, long rssMaxKb, int hugeAnswers, long hugeMaxBytes, double hugeMaxSeconds,
      List<String> violations) {
    String summary() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "CHAOS mode=director seed=%d seconds=%d "
          + "faults(down=%d stall=%d huge=%d silent=%d flap=%d healthy=%d) looks=%d detections=%d "
          + "slowest_detect_down_ms=%d slowest_detect_up_ms=%d worst_of_bound=%.2f kills_while_others_misbehave=%d "
          + "slowest_kill_detect_ms=%d max_status_ms=%d status_over_1s=%d rss_mb(min=%d max=%d) huge_answers=%d "
          + "huge_max_mb_sent=%d huge_max_s=%.2f violations=%d", seed, seconds, faults[0], faults[1], faults[2],
          faults[3], faults[4], faults[5], looks, detections, maxDownMs, maxUpMs, worstOfBound,
          killsWhileOthersMisbehave, maxKillMs, maxStatusMs, slowAnswers, rssMinKb / 1024, rssMaxKb / 1024,
          hugeAnswers, hugeMaxBytes >> 20, hugeMaxSeconds, violations.size()));
      violations.forEach(v -> sb.append("\n  VIOLATION ").append(v));
      return sb.toString();
    }
  }

  private final long seed;
  private final int seconds;
  final int[] faults = new int[DirectorChaos.Fault.values().length];
  long t0;
  private final List<String> violations = new ArrayList<>();
  private int looks;
  private int detections;
  private long maxDownMs;
  private long maxUpMs;
  private double worstOfBound;
  private int kills;
  private long maxKillMs;
  private long maxStatusMs;
  private long slowAnswers;
  private boolean slowBefore;
  private long rssMin = Long.MAX_VALUE;
  private long rssMax;
  private boolean rssReported;
  private int hugeAnswers;
  private long hugeMaxBytes;
  private double hugeMaxSeconds;

  DirectorLook(long seed, int seconds) {
    this.seed = seed;
    this.seconds = seconds;
  }

  void violation(long now, String what) {
    violations.add(String.format(Locale.ROOT, "t=%.1fs %s", t0 == 0 ? 0 : (now - t0) / 1e9, what));
  }

  /** Waits (90 s at most) for the first status answer with every real server up in status and dataplane. */
  boolean awaitStart(Router director, String netns, List<Track> tracks) throws InterruptedException {
    long end = System.nanoTime() + 90_000_000_000L;
    String last = "";
    while (System.nanoTime() < end && director.alive()) {
      Router.Look l = director.look(false);
      Map<String, Integer> dp = DirectorChaos.dataplane(netns);
      last = l.json() + " / dataplane " + dp;
      if (l.answered() && dp != null && tracks.stream().allMatch(t -> l.json().contains("{\"real\":\"" + t.real.key()
          + "\",\"up\":true") && Integer.valueOf(t.real.weight()).equals(dp.get(t.real.key())))) {
        return true;
      }
      Thread.sleep(500);
    }
    violation(System.nanoTime(), "lbctl run did not come up with all real servers in 90 s: " + last + "\n"
        + director.logTail());
    return false;
  }

  /** One look at status, the dataplane and the RSS. */
  void look(Router director, String netns, List<Track> tracks, long now) {
    looks++;
    Router.Look l = director.look(false);
    if (!director.alive()) {
      return;
    }
    maxStatusMs = Math.max(maxStatusMs, l.millis());
    boolean slow = !l.answered() || l.millis() > 1000;
    slowAnswers += slow ? 1 : 0;
    if (slow && slowBefore) {
      violation(now, "stuck: status did not answer within 1 s twice in a row (" + l.millis() + " ms; " + l.error()
          + ")");
    }
    slowBefore = slow;
    long rss = DirectorChaos.rssKb(director.pid());
    if (rss > 0) {
      rssMin = Math.min(rssMin, rss);
      rssMax = Math.max(rssMax, rss);
      if (rss > DirectorChaos.RSS_LIMIT_KB && !rssReported) {
        violation(now, "lbctl run's RSS is " + rss / 1024 + " MB, over " + DirectorChaos.RSS_LIMIT_KB / 1024);
        rssReported = true;
      }
    }
    Map<String, Integer> dp = DirectorChaos.dataplane(netns);
    if (l.answered() && dp != null) {
      observe(tracks, l.json(), dp, now);
    }
  }

  /** Checks each real server against one status answer and one dataplane listing. */
  void observe(List<Track> tracks, String statusJson, Map<String, Integer> dataplane, long now) {
    Matcher m = STATUS_REAL.matcher(statusJson);
    Map<String, Boolean> up = new java.util.HashMap<>();
    while (m.find()) {
      up.put(m.group(1), Boolean.parseBoolean(m.group(2)));
    }
    for (Track t : tracks) {
      check(t, up.get(t.real.key()), dataplane.getOrDefault(t.real.key(), -1), now);
    }
  }

  private void check(Track t, Boolean statusUp, int dpWeight, long now) {
    String name = t.real.kind() + " " + t.real.key();
    if (statusUp == null) {
      violation(now, name + " is missing from status");
      return;
    }
    t.lastObservedUp = statusUp;
    if (dpWeight == t.real.dataplaneWeight(statusUp)) {
      t.disagree = 0;
    } else if (++t.disagree == 2) {
      violation(now, name + " is " + (statusUp ? "up" : "down") + " in status but has weight " + dpWeight
          + " in the dataplane (two looks in a row)");
    }
    boolean match = statusUp == t.truth && dpWeight == t.real.dataplaneWeight(t.truth);
    long bound = t.real.boundNanos(DirectorChaos.DELAY_LOOP);
    if (match && !t.seen) {
      t.seen = true;
      if (t.needsChange) {
        long ms = (now - t.truthSince) / 1_000_000;
        detections++;
        worstOfBound = Math.max(worstOfBound, (now - t.truthSince) / (double) bound);
        if (t.truth) {
          maxUpMs = Math.max(maxUpMs, ms);
        } else {
          maxDownMs = Math.max(maxDownMs, ms);
        }
        if (t.killWhileOthersMisbehave) {
          kills++;
          maxKillMs = Math.max(maxKillMs, ms);
        }
      }
    }
    if (!match && now - t.truthSince > bound + DirectorChaos.SLACK_NANOS && !t.reported) {
      t.reported = true;
      violation(now, String.format(Locale.ROOT, "%s should be %s (backend %s for %.1f s, bound %.1f s + %.1f s): "
          + "status says %s, dataplane weight %d", name, t.truth ? "up" : "down", t.mode, (now - t.truthSince) / 1e9,
          bound / 1e9, DirectorChaos.SLACK_NANOS / 1e9, statusUp ? "up" : "down", dpWeight));
    }
  }

  /** The 1 GiB answers: each must have been cut off by its checker within connect_timeout + 2 s. */
  void hugeAnswers(List<Backends.Huge> huge) {
    for (Backends.Huge h : huge) {
      ChaosReal r = DirectorChaos.REALS.stream().filter(x -> x.port() == h.port()).findFirst().orElseThrow();
      hugeAnswers++;
      hugeMaxBytes = Math.max(hugeMaxBytes, h.bytes());
      hugeMaxSeconds = Math.max(hugeMaxSeconds, h.seconds());
      if (h.bytes() >= 1L << 30 || h.seconds() > r.connectTimeout() + 2) {
        violation(System.nanoTime(), String.format(Locale.ROOT, "the checker of %s read %d MB of a 1 GiB body for "
            + "%.1f s (connect_timeout %.0f s)", r.key(), h.bytes() >> 20, h.seconds(), r.connectTimeout()));
      }
    }
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  Report report() {
    return new Report(seed, seconds, faults.clone(), looks, detections, maxDownMs, maxUpMs, worstOfBound, kills,
        maxKillMs, maxStatusMs, slowAnswers, rssMin == Long.MAX_VALUE ? 0 : rssMin, rssMax, hugeAnswers, hugeMaxBytes,
        hugeMaxSeconds, List.copyOf(violations));
  }
}

package io.lbkit.cli.chaos;

import io.lbkit.harness.netns.Lan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Three VRRP routers (VRID 51, VRRPv3, one VIP) on one bridge under random faults (see
 * {@link Faults}) for a bounded time, with the invariants checked about every 300 ms:
 * <ul>
 *   <li>at most one MASTER once the last fault has been undone for 3 x advert_int + skew
 *       (skew of the lowest priority, (256 - 50) / 256 x advert_int);</li>
 *   <li>the VIP is held by exactly the MASTER: an lbkit router whose VIP and state disagree for
 *       more than 1 s, or, once healed, a VIP on more or fewer live routers than there are
 *       MASTERs (a killed router's namespace keeps its VIP, as after any SIGKILL; it is counted
 *       apart, and its restart must remove it);</li>
 *   <li>no process stuck: a live, unfrozen lbkit router that has answered once since its start
 *       answers {@code lbctl status} within 1 s (stuck: twice in a row not; single slow answers
 *       are counted) and a started one answers within 60 s;</li>
 *   <li>no lost configuration: every answer names VI_1 with the configured priority.</li>
 * </ul>
 * Every interval with two or more MASTERs is recorded with the faults active when it began.
 */
final class ChaosDriver {
  static final double ADVERT = 1.0;
  static final long HEAL_NANOS = (long) ((3 * ADVERT + (256 - 50) / 256.0 * ADVERT) * 1e9);
  private static final long STARTUP_GRACE_S = 20;
  /** A restarted lbctl run must answer status by then (a JVM start on a loaded 2-core host takes 5-20 s). */
  private static final long START_LIMIT_S = 60;

  /** One dual-master interval. */
  record Window(long startNanos, long millis, String cause, boolean afterHeal) {}

  /** What the run saw. */
  record Report(String mode, long seed, int seconds, int[] faultCounts, int looks, int dualWindows, Window longest,
      Window longestAfterHeal, List<String> violations, long maxStatusMillis, long slowAnswers, long slowestStartMillis,
      int staleVipsAfterKill, boolean netem) {
    String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "CHAOS mode=%s seed=%d seconds=%d faults(cut=%d loss=%d delay=%d kill=%d "
          + "freeze=%d) looks=%d dual_master_windows=%d longest_dual_master_ms=%d (%s) longest_after_heal_ms=%d "
          + "max_status_ms=%d status_over_1s=%d slowest_start_ms=%d stale_vips_after_kill9=%d delay_by=%s violations=%d",
          mode, seed, seconds,
          faultCounts[0], faultCounts[1], faultCounts[2], faultCounts[3], faultCounts[4], looks, dualWindows,
          longest == null ? 0 : longest.millis(), longest == null ? "none" : longest.cause(),
          longestAfterHeal == null ? 0 : longestAfterHeal.millis(), maxStatusMillis, slowAnswers, slowestStartMillis,
          staleVipsAfterKill,
          netem ? "netem" : "tbf", violations.size()));
      for (String v : violations) {
        sb.append("\n  VIOLATION ").append(v);
      }
      return sb.toString();
    }
  }

  private ChaosDriver() {}

  /** Runs {@code mode} ("lbkit": three lbctl runs; "mixed": keepalived as the middle router) for {@code seconds}. */
  static Report run(String mode, int seconds, long seed, Path workDir) throws Exception {
    Random random = new Random(seed);
    List<String> violations = new ArrayList<>();
    List<Window> windows = new ArrayList<>();
    int looks = 0;
    long maxStatus = 0;
    long slowAnswers = 0;
    long startMillis = 0;
    int stale = 0;
    try (Lan lan = Lan.create(3, "10.77.0.0/24")) {
      List<Router> routers = new ArrayList<>();
      int[] prio = {150, 100, 50};
      for (int i = 0; i < 3; i++) {
        Router.Kind k = mode.equals("mixed") && i == 1 ? Router.Kind.KEEPALIVED : Router.Kind.LBKIT;
        routers.add(new Router(i, k, lan.member(i), prio[i], workDir.resolve("r" + i), "10.77.0.100", ADVERT));
      }
      Faults faults = new Faults(lan, routers, random);
      try {
        for (Router r : routers) {
          r.start();
        }
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        long quietSince = t0 + STARTUP_GRACE_S * 1_000_000_000L; // start-up counts as a fault
        long nextFault = t0 + STARTUP_GRACE_S * 1_000_000_000L;
        long dualStart = 0;
        String dualCause = null;
        boolean dualAfterHeal = false;
        long[] mismatchSince = new long[3];
        boolean[] wasKilled = new boolean[3];
        boolean[] staleCounted = new boolean[3];
        boolean[] slowBefore = new boolean[3];
        long[] ready = new long[3]; // when a router (re)started answered first: VRRP runs from then
        int[] startsSeen = new int[3];
        boolean finalPhase = false;
        while (true) {
          long now = System.nanoTime();
          if (!finalPhase && now >= end) {
            faults.heal(now, true); // heal everything, then watch one more heal window
            quietSince = now;
            finalPhase = true;
            end = now + HEAL_NANOS + 3_000_000_000L;
          } else if (finalPhase && now >= end) {
            break;
          }
          if (faults.heal(now, false)) {
            quietSince = now;
          }
          if (!finalPhase && now >= nextFault) {
            Faults.Active a = faults.inject(now);
            if (a != null) {
              quietSince = Long.MAX_VALUE; // a fault is active: not healed
              if (a.kind() == Faults.Kind.KILL) {
                wasKilled[a.router()] = true;
              }
            }
            nextFault = now + (2000 + random.nextInt(3000)) * 1_000_000L;
          }
          if (!faults.active.isEmpty()) {
            quietSince = Long.MAX_VALUE;
          } else if (quietSince == Long.MAX_VALUE) {
            quietSince = now;
          }
          long settledSince = quietSince;
          for (int i = 0; i < 3; i++) {
            Router r = routers.get(i);
            if (r.starts() != startsSeen[i]) {
              startsSeen[i] = r.starts();
              ready[i] = 0;
            }
            if (r.alive() && ready[i] == 0 && r.kind == Router.Kind.KEEPALIVED && r.upSeconds() > 2) {
              ready[i] = now;
            }
            settledSince = r.alive() && ready[i] == 0 ? Long.MAX_VALUE : Math.max(settledSince, ready[i]);
          }
          boolean healed = settledSince != Long.MAX_VALUE && now - settledSince > HEAL_NANOS;
          // look at every router
          int masters = 0;
          int holders = 0;
          List<String> states = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            Router r = routers.get(i);
            if (!r.alive()) {
              if (!staleCounted[i] && r.hasVip()) {
                stale++; // a SIGKILLed router cannot remove its VIP; its restart must
                staleCounted[i] = true;
              }
              states.add(r.name() + "=DEAD");
              continue;
            }
            staleCounted[i] = false;
            Router.Look l = r.look();
            looks++;
            if (l.answered() && ready[i] == 0 && r.kind == Router.Kind.LBKIT) {
              ready[i] = now;
              startMillis = Math.max(startMillis, (long) (r.upSeconds() * 1000));
            }
            states.add(r.name() + "=" + l.state() + (l.vip() ? "+VIP" : ""));
            if (r.kind == Router.Kind.LBKIT && ready[i] == 0 && r.upSeconds() > START_LIMIT_S) {
              violations.add(t(t0, now) + " " + r.name() + " has not answered status " + START_LIMIT_S
                  + " s after its start (" + l.error() + ")");
              ready[i] = now; // reported once
            }
            if (r.kind == Router.Kind.LBKIT && ready[i] != 0 && ready[i] != now && !r.frozen()) {
              maxStatus = Math.max(maxStatus, l.millis());
              boolean slow = !l.answered() || l.millis() > 1000;
              slowAnswers += slow ? 1 : 0;
              if (slow && slowBefore[i]) {
                violations.add(t(t0, now) + " " + r.name() + " stuck: status did not answer within 1 s twice in a "
                    + "row (" + l.millis() + " ms; " + l.error() + ")");
              }
              slowBefore[i] = slow;
              if (l.answered() && l.priority() != r.priority) {
                violations.add(t(t0, now) + " " + r.name() + " reports priority " + l.priority() + ", config says "
                    + r.priority + " (lost configuration)");
              }
            }
            if (l.state().equals("MASTER")) {
              masters++;
            }
            if (l.vip()) {
              holders++;
            }
            if (r.kind == Router.Kind.LBKIT && l.answered() && !r.frozen()) {
              boolean mismatch = l.vip() != l.state().equals("MASTER");
              if (!mismatch) {
                mismatchSince[i] = 0;
                wasKilled[i] = false;
              } else if (mismatchSince[i] == 0) {
                mismatchSince[i] = now;
              } else if (now - mismatchSince[i] > 1_000_000_000L) {
                violations.add(t(t0, now) + " " + r.name() + " is " + l.state() + (l.vip() ? " with" : " without")
                    + " the VIP for over 1 s" + (wasKilled[i] ? " (after its kill -9 and restart)" : ""));
                mismatchSince[i] = now;
              }
            }
          }
          if (healed && holders != masters) {
            violations.add(t(t0, now) + " healed, yet " + holders + " live routers hold the VIP and " + masters
                + " are MASTER: " + states);
          }
          if (masters >= 2) {
            if (dualStart == 0) {
              dualStart = now;
              dualCause = faults.active.isEmpty() ? "no fault active (" + states + ")"
                  : faults.active.stream().map(Faults.Active::label).toList().toString();
              dualAfterHeal = healed;
            }
            if (healed) {
              violations.add(t(t0, now) + " two MASTERs after the network healed for " + HEAL_NANOS / 1_000_000
                  + " ms: " + states);
            }
          } else if (dualStart != 0) {
            windows.add(new Window(dualStart, (now - dualStart) / 1_000_000, dualCause, dualAfterHeal));
            dualStart = 0;
          }
          Thread.sleep(300);
        }
        if (dualStart != 0) {
          windows.add(new Window(dualStart, (System.nanoTime() - dualStart) / 1_000_000, dualCause, dualAfterHeal));
        }
      } finally {
        faults.heal(System.nanoTime(), true);
        for (Router r : routers) {
          r.stop();
        }
        StringBuilder logs = new StringBuilder();
        for (Router r : routers) {
          logs.append("== ").append(r.name()).append(" (").append(r.starts()).append(" starts)\n")
              .append(r.logTail()).append('\n');
        }
        Files.writeString(workDir.resolve("routers.log"), logs);
      }
      Window longest = windows.stream().max(java.util.Comparator.comparingLong(Window::millis)).orElse(null);
      Window longestHealed = windows.stream().filter(Window::afterHeal)
          .max(java.util.Comparator.comparingLong(Window::millis)).orElse(null);
      return new Report(mode, seed, seconds, faults.counts.clone(), looks, windows.size(), longest, longestHealed,
          violations, maxStatus, slowAnswers, startMillis, stale, faults.hasNetem());
    }
  }

  private static String t(long t0, long now) {
    return String.format(Locale.ROOT, "t=%.1fs", (now - t0) / 1e9);
  }
}

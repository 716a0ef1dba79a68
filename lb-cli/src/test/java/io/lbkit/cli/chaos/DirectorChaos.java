package io.lbkit.cli.chaos;

import io.lbkit.cli.InProcessLbctl;
import io.lbkit.harness.netns.Lan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The director chaos run: {@code lbctl run --dataplane nftables} inside a namespace with one NAT
 * virtual server of six real servers ({@link #REALS}: four HTTP_GET, two TCP_CHECK, one with
 * inhibit_on_failure) served by {@link Backends} on 127.0.0.1 in that namespace, whose behaviour
 * changes at random every 2-5 s: down (listener closed, as killed), stalling mid-body, a 1 GiB
 * body, accept and never answer, healthy again, or flapping (healthy/down every 2-4 s for 8-20 s,
 * then settling). Checked about every 300 ms ({@link DirectorLook}): status answers within 1 s
 * (stuck: twice in a row not; single slow answers counted), each real server's health in status
 * and its weight in the dataplane ({@code lbctl show}) match its backend's mode once that mode
 * has held for the check's bound (see {@link ChaosReal}) + {@link #SLACK_NANOS}, status and
 * dataplane agree, the director's RSS stays under {@link #RSS_LIMIT_KB}, and every 1 GiB answer
 * is cut off by the checker within connect_timeout + 2 s. At the end every backend turns healthy
 * and all must be back in rotation within their bound.
 */
final class DirectorChaos {
  static final double DELAY_LOOP = 2;
  /**
   * Room for a loaded 2-core host: timers late, the dataplane write, the look period (300 ms of
   * sleep plus the look: 1.1 s a round at a load average of 36, where a change was seen at 1.32 x
   * its bound).
   */
  static final long SLACK_NANOS = 3_000_000_000L;
  /** Far below one 1 GiB body, above the JVM's own footprint at -Xmx96m. */
  static final long RSS_LIMIT_KB = 512 * 1024;
  static final List<ChaosReal> REALS = List.of(
      new ChaosReal(18001, 1, true, 2, 1, 1, false),
      new ChaosReal(18002, 2, true, 2, 1, 1, false),
      new ChaosReal(18003, 3, true, 3, 0, 1, true),
      new ChaosReal(18004, 4, true, 1, 2, 1, false),
      new ChaosReal(18005, 5, false, 1, 0, 1, false),
      new ChaosReal(18006, 6, false, 2, 1, 1, false));
  static final String VIP = "10.79.0.100";
  private static final Pattern SHOW_REAL = Pattern.compile("->\\s+(\\S+)\\s+\\S+\\s+(\\d+)");

  /** The faults, as counted in the summary. */
  enum Fault { DOWN, STALL, HUGE, SILENT, FLAP, HEALTHY }

  private DirectorChaos() {}

  static String virtualServer() {
    StringBuilder sb = new StringBuilder("virtual_server " + VIP + " 80 {\n  delay_loop " + (int) DELAY_LOOP
        + "\n  lvs_sched wrr\n  lvs_method NAT\n  protocol TCP\n");
    REALS.forEach(r -> sb.append(r.conf()));
    return sb.append("}\n").toString();
  }

  /** Runs the director mode for {@code seconds} (after the start-up). */
  static DirectorLook.Report run(int seconds, long seed, Path workDir) throws Exception {
    Random random = new Random(seed);
    DirectorLook look = new DirectorLook(seed, seconds);
    Files.deleteIfExists(workDir.resolve("backends.log")); // the logs of an earlier run in this directory
    Files.deleteIfExists(workDir.resolve("director").resolve("log"));
    try (Lan lan = Lan.create(1, "10.79.0.0/24")) {
      Router director = new Router(0, Router.Kind.LBKIT, lan.member(0), 150, workDir.resolve("director"), VIP, 1.0,
          virtualServer(), List.of("--dataplane", "nftables", Router.INSIDE));
      Backends backends = new Backends(lan.member(0), workDir.resolve("backends.log"), seconds + 600,
          REALS.stream().map(ChaosReal::port).toList());
      List<DirectorLook.Track> tracks = REALS.stream().map(DirectorLook.Track::new).toList();
      try {
        director.start();
        if (!look.awaitStart(director, lan.member(0).name(), tracks)) {
          return look.report();
        }
        long t0 = System.nanoTime();
        look.t0 = t0;
        tracks.forEach(t -> t.truthSince = t0);
        long end = t0 + seconds * 1_000_000_000L;
        long nextFault = t0;
        java.util.ArrayDeque<Fault> plan = firstRound(random);
        boolean finalPhase = false;
        while (director.alive()) {
          long now = System.nanoTime();
          if (!finalPhase && now >= end) {
            finalPhase = true; // everything healthy, then watch for the longest bound
            for (DirectorLook.Track t : tracks) {
              t.flapUntil = 0;
              apply(backends, tracks, t, Backends.Mode.HEALTHY, now);
            }
            end = now + REALS.stream().mapToLong(r -> r.boundNanos(DELAY_LOOP)).max().orElseThrow() + SLACK_NANOS
                + 2_000_000_000L;
          } else if (finalPhase && now >= end) {
            break;
          }
          if (!finalPhase) {
            flaps(backends, tracks, random, now);
            if (now >= nextFault) {
              inject(backends, tracks, random, look, plan, now);
              nextFault = now + (2000 + random.nextInt(3000)) * 1_000_000L;
            }
          }
          look.look(director, lan.member(0).name(), tracks, System.nanoTime());
          Thread.sleep(300);
        }
        if (!director.alive()) {
          look.violation(System.nanoTime(), "lbctl run died: " + director.logTail());
        }
      } finally {
        director.stop();
        backends.close();
        Files.writeString(workDir.resolve("director.log"), director.log());
      }
      look.hugeAnswers(backends.huge());
      return look.report();
    }
  }

  /**
   * The first faults, so that even the 60 s form has each kind: stall, 1 GiB and silent on three
   * healthy HTTP_GET real servers (in random order, so that their checks hang), then a healthy one
   * killed while they misbehave, then a flap; random faults after that.
   */
  static java.util.ArrayDeque<Fault> firstRound(Random random) {
    List<Fault> misbehave = new java.util.ArrayList<>(List.of(Fault.STALL, Fault.HUGE, Fault.SILENT));
    java.util.Collections.shuffle(misbehave, random);
    java.util.ArrayDeque<Fault> plan = new java.util.ArrayDeque<>(misbehave);
    plan.add(Fault.DOWN);
    plan.add(Fault.FLAP);
    return plan;
  }

  private static void inject(Backends backends, List<DirectorLook.Track> tracks, Random random, DirectorLook look,
      java.util.ArrayDeque<Fault> plan, long now) throws IOException {
    Fault planned = plan.poll();
    List<DirectorLook.Track> free = tracks.stream().filter(t -> t.flapUntil == 0
        && (planned == null || t.mode == Backends.Mode.HEALTHY && (t.real.http() || planned == Fault.DOWN
        || planned == Fault.FLAP))).toList();
    if (free.isEmpty()) {
      free = tracks.stream().filter(t -> t.flapUntil == 0).toList();
    }
    if (free.isEmpty()) {
      return;
    }
    DirectorLook.Track t = free.get(random.nextInt(free.size()));
    Fault f = planned != null ? planned : random(random);
    if (f == Fault.HUGE && tracks.stream().filter(o -> o.mode == Backends.Mode.HUGE).count() >= 2) {
      f = Fault.STALL; // two 1 GiB streams at once at most: the host has two cores
    }
    look.faults[f.ordinal()]++;
    if (f == Fault.FLAP) {
      t.flapUntil = now + (8000 + random.nextInt(12_000)) * 1_000_000L;
      t.nextToggle = now;
      return;
    }
    apply(backends, tracks, t, Backends.Mode.valueOf(f.name()), now);
  }

  private static Fault random(Random random) {
    int[] weights = {2, 2, 1, 2, 1, 3}; // DOWN STALL HUGE SILENT FLAP HEALTHY
    int pick = random.nextInt(11);
    for (int i = 0; i < weights.length; i++) {
      if (pick < weights[i]) {
        return Fault.values()[i];
      }
      pick -= weights[i];
    }
    return Fault.HEALTHY;
  }

  /** Toggles the flapping backends whose time has come; settles those whose flap is over. */
  private static void flaps(Backends backends, List<DirectorLook.Track> tracks, Random random, long now)
      throws IOException {
    for (DirectorLook.Track t : tracks) {
      if (t.flapUntil == 0 || now < t.nextToggle) {
        continue;
      }
      Backends.Mode next;
      if (now >= t.flapUntil) {
        t.flapUntil = 0;
        next = random.nextBoolean() ? Backends.Mode.HEALTHY : Backends.Mode.DOWN;
      } else {
        next = t.mode == Backends.Mode.HEALTHY ? Backends.Mode.DOWN : Backends.Mode.HEALTHY;
        t.nextToggle = now + (2000 + random.nextInt(2000)) * 1_000_000L;
      }
      apply(backends, tracks, t, next, now);
    }
  }

  private static void apply(Backends backends, List<DirectorLook.Track> tracks, DirectorLook.Track t,
      Backends.Mode mode, long now) throws IOException {
    boolean othersMisbehave = tracks.stream().anyMatch(o -> o != t && (o.mode == Backends.Mode.STALL
        || o.mode == Backends.Mode.HUGE || o.mode == Backends.Mode.SILENT));
    backends.set(t.real.port(), mode);
    t.change(mode, now, othersMisbehave);
  }

  /** {@code lbctl show} of the namespace's nftables dataplane: weight by real server ("127.0.0.1:PORT"). */
  static Map<String, Integer> dataplane(String netns) {
    InProcessLbctl lbctl = new InProcessLbctl();
    int rc = lbctl.run("show", "--netns", netns, "--dataplane", "nftables");
    if (rc != 0) {
      return null;
    }
    Map<String, Integer> w = new HashMap<>();
    Matcher m = SHOW_REAL.matcher(lbctl.out());
    while (m.find()) {
      w.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return w;
  }

  /** VmRSS of {@code pid} in kB, or -1. */
  static long rssKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}

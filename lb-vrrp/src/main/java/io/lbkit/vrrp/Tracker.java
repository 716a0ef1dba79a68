package io.lbkit.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's tracking: interfaces, vrrp_scripts (run without a shell on their own
 * executor, with interval, timeout and rise/fall) and track files, turned into an
 * effective priority or FAULT per instance.
 *
 * <p>Weights follow keepalived: weight 0 makes a failure (link down, script KO,
 * non-zero file value) a FAULT; a positive weight is added while the object is OK,
 * a negative one while it is KO; a file's value is multiplied by its weight.
 */
final class Tracker {
  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  /**
   * A track file: the path, its default weight, {@code reverse} (the file's value counts
   * against the priority), and init_file's value (null = none) and overwrite.
   */
  record TrackFile(Path path, int weight, boolean reverse, Long initValue, boolean initOverwrite) {
    TrackFile(Path path, int weight) {
      this(path, weight, false, null, false);
    }

    static TrackFile of(io.lbkit.api.vrrp.TrackedFile f) {
      return new TrackFile(f.path(), f.weight(), f.reverse(), f.initValue(), f.initOverwrite());
    }
  }

  /** The verdict for one instance. */
  record Verdict(int priority, String fault) {
    // the healthy verdicts, shared: a tracking pass over steady instances allocates none
    private static final Verdict[] OK = new Verdict[256];

    static {
      for (int p = 0; p < OK.length; p++) {
        OK[p] = new Verdict(p, null);
      }
    }

    /** The healthy verdict with priority {@code p} (0-255). */
    static Verdict ok(int p) {
      return OK[p];
    }
  }

  private final TimerService clock;
  private final Executor scriptExecutor;
  private final ProcessRunner runner;
  private final Predicate<String> linkUp;
  // Replaced whole by redefine (a reload); a running script reads its definition from here on each run.
  private volatile Map<String, TrackedScript> scripts;
  private volatile Map<String, TrackFile> files;
  // How each script runs, or why it is refused (keepalived's script_user / enable_script_security); with scripts
  private volatile Map<String, ScriptPolicy.Decision> decisions;
  private volatile ScriptPolicy policy;
  private final Map<String, ScriptState> status = new ConcurrentHashMap<>();
  private final Runnable onChange;
  private volatile boolean closed;

  Tracker(TimerService clock, Executor scriptExecutor, ProcessRunner runner, Predicate<String> linkUp,
      Map<String, TrackedScript> scripts, Map<String, TrackFile> files, Runnable onChange, ScriptPolicy policy) {
    this.clock = clock;
    this.scriptExecutor = scriptExecutor;
    this.runner = runner;
    this.linkUp = linkUp;
    this.scripts = Map.copyOf(scripts);
    this.files = Map.copyOf(files);
    this.onChange = onChange;
    this.policy = policy;
    this.decisions = decide(this.scripts, policy);
  }

  /**
   * keepalived's checks, once per definition (at start and on each reload, as keepalived
   * checks at load): a refused script is never run and is not tracked.
   */
  private static Map<String, ScriptPolicy.Decision> decide(Map<String, TrackedScript> scripts, ScriptPolicy policy) {
    Map<String, ScriptPolicy.Decision> out = new java.util.HashMap<>();
    for (TrackedScript ts : scripts.values()) {
      ScriptPolicy.Decision d = policy.decide(ts.command(), ts.user());
      if (d.isRefused()) {
        LOG.warn("vrrp_script {} disabled ({}): not run, and instances tracking it ignore it", ts.name(), d.refused());
      } else if (d.warning() != null) {
        LOG.warn("vrrp_script {}: {}", ts.name(), d.warning());
      }
      out.put(ts.name(), d);
    }
    return Map.copyOf(out);
  }

  /** The scripts refused by the policy, with the reason. */
  Map<String, String> refused() {
    Map<String, String> out = new java.util.TreeMap<>();
    decisions.forEach((name, d) -> {
      if (d.isRefused()) {
        out.put(name, d.refused());
      }
    });
    return out;
  }

  private boolean refused(String name) {
    ScriptPolicy.Decision d = decisions.get(name);
    return d != null && d.isRefused();
  }

  /** Checks that every tracked script is defined. */
  void check(List<VrrpInstanceSpec> specs) {
    check(specs, scripts.keySet());
  }

  /** Checks that every script the instances track is among {@code defined}. */
  static void check(List<VrrpInstanceSpec> specs, java.util.Set<String> defined) {
    for (VrrpInstanceSpec s : specs) {
      for (String name : s.trackScripts().keySet()) {
        if (!defined.contains(name)) {
          throw new IllegalArgumentException("vrrp_instance " + s.name() + ": track_script " + name
              + " is not a defined vrrp_script");
        }
      }
    }
  }

  /**
   * Starts every script that some instance tracks and that is not running yet, and
   * stops those that no instance tracks any more.
   */
  void start(List<VrrpInstanceSpec> specs) {
    check(specs);
    java.util.Set<String> tracked = new java.util.HashSet<>();
    for (VrrpInstanceSpec s : specs) {
      for (String name : s.trackScripts().keySet()) {
        tracked.add(name);
        if (refused(name)) {
          continue;
        }
        ScriptState fresh = new ScriptState();
        if (status.putIfAbsent(name, fresh) == null) {
          schedule(name, fresh, Duration.ZERO);
        }
      }
    }
    status.entrySet().removeIf(e -> {
      if (tracked.contains(e.getKey())) {
        return false;
      }
      e.getValue().cancel();
      return true;
    });
  }

  /**
   * A reload: these scripts and track files from now on. A script whose command,
   * interval, timeout, rise, fall or user changed starts again from OK (its old loop
   * ends at its next run); one whose weight alone changed keeps running and its
   * status; a removed one stops. Track files are read anew at the next verdict; a new
   * or changed one's init_file is written now if {@code running}. Call {@link #start}
   * afterwards to run newly tracked scripts.
   */
  void redefine(Map<String, TrackedScript> nextScripts, Map<String, TrackFile> nextFiles, boolean running,
      ScriptPolicy nextPolicy) {
    Map<String, TrackedScript> old = scripts;
    Map<String, TrackFile> oldFiles = files;
    Map<String, ScriptPolicy.Decision> oldDecisions = decisions;
    if (nextPolicy != null) {
      policy = nextPolicy;
    }
    Map<String, ScriptPolicy.Decision> nextDecisions = decide(Map.copyOf(nextScripts), policy);
    scripts = Map.copyOf(nextScripts);
    files = Map.copyOf(nextFiles);
    decisions = nextDecisions;
    for (Map.Entry<String, TrackedScript> e : old.entrySet()) {
      TrackedScript now = nextScripts.get(e.getKey());
      if (now == null || !sameRun(e.getValue(), now)
          || !java.util.Objects.equals(oldDecisions.get(e.getKey()), nextDecisions.get(e.getKey()))) {
        ScriptState st = status.remove(e.getKey());
        if (st != null) {
          st.cancel();
        }
      }
    }
    if (running) {
      Map<String, TrackFile> changed = new java.util.HashMap<>(files);
      changed.entrySet().removeIf(e -> e.getValue().equals(oldFiles.get(e.getKey())));
      initFiles(changed);
    }
  }

  /** Whether two definitions run the same way (they may differ in weight). */
  private static boolean sameRun(TrackedScript a, TrackedScript b) {
    return a.command().equals(b.command()) && a.interval().equals(b.interval())
        && java.util.Objects.equals(a.timeout(), b.timeout()) && a.rise() == b.rise() && a.fall() == b.fall()
        && java.util.Objects.equals(a.user(), b.user());
  }

  /**
   * keepalived's init_file: writes the initial value to each file that has one and does
   * not exist yet (or always, with overwrite). A failure is logged; the file then reads as 0.
   */
  void initFiles() {
    initFiles(files);
  }

  private static void initFiles(Map<String, TrackFile> which) {
    for (Map.Entry<String, TrackFile> e : which.entrySet()) {
      TrackFile tf = e.getValue();
      if (tf.initValue() != null && (tf.initOverwrite() || !Files.exists(tf.path()))) {
        try {
          Files.writeString(tf.path(), tf.initValue() + "\n");
        } catch (IOException ex) {
          LOG.warn("track_file {}: cannot write init_file value to {}: {}", e.getKey(), tf.path(), ex.toString());
        }
      }
    }
  }

  void close() {
    closed = true;
    status.values().forEach(ScriptState::cancel);
  }

  /** Runs script {@code name} after {@code delay} while {@code st} is its current state (not replaced or removed). */
  private void schedule(String name, ScriptState st, Duration delay) {
    if (closed || status.get(name) != st) {
      return;
    }
    st.next = clock.schedule(delay, () -> {
      try {
        scriptExecutor.execute(() -> runOnce(name, st));
      } catch (RejectedExecutionException e) {
        LOG.debug("vrrp_script {} not run: executor shut down", name);
      }
    });
  }

  private void runOnce(String name, ScriptState st) {
    TrackedScript ts = scripts.get(name);
    ScriptPolicy.Decision how = decisions.get(name);
    if (closed || ts == null || how == null || how.isRefused() || status.get(name) != st) {
      return; // stopped, or redefined: the new definition has its own loop
    }
    int rc;
    st.running = true;
    try {
      rc = runner.run(how.argv(), ts.timeout() != null ? ts.timeout() : ts.interval());
    } catch (IOException e) {
      LOG.warn("vrrp_script {}: cannot run {}: {}", ts.name(), ts.command(), e.getMessage());
      rc = 127;
    } finally {
      st.running = false;
    }
    if (status.get(name) != st) {
      return;
    }
    boolean flipped = st.record(rc == 0, ts.rise(), ts.fall());
    st.known = true;
    if (flipped) {
      LOG.info("VRRP_Script({}) {}", ts.name(), st.ok ? "succeeded" : "failed" + (rc == ProcessRunner.TIMED_OUT
          ? " (timed out)" : " (exit " + rc + ")"));
      onChange.run();
    }
    schedule(name, st, ts.interval());
  }

  /** The instance's effective priority and fault, from the current state of what it tracks. */
  Verdict verdict(VrrpInstanceSpec spec) {
    return verdict(spec, linkUp);
  }

  /**
   * The link states for one pass over many instances: each interface read once (from
   * sysfs, by default) however many instances run on or track it, not once per instance.
   */
  Predicate<String> linkSnapshot() {
    Map<String, Boolean> seen = new java.util.HashMap<>();
    return iface -> seen.computeIfAbsent(iface, linkUp::test);
  }

  /** The verdict for {@code spec} with the link states of {@code linkUp} (e.g. a {@link #linkSnapshot}). */
  Verdict verdict(VrrpInstanceSpec spec, Predicate<String> linkUp) {
    boolean untracked = spec.trackInterfaces().isEmpty() && spec.trackScripts().isEmpty()
        && spec.trackFiles().isEmpty();
    if (spec.priority() == 255 && untracked && linkUp.test(spec.interfaceName())) {
      return Verdict.ok(255);
    }
    if (!linkUp.test(spec.interfaceName())) {
      return new Verdict(spec.priority(), "interface " + spec.interfaceName() + " down");
    }
    if (untracked) {
      return Verdict.ok(Math.max(1, Math.min(254, spec.priority()))); // no entry sets or iterators to walk
    }
    int delta = 0;
    for (Map.Entry<String, Integer> e : spec.trackInterfaces().entrySet()) {
      boolean up = linkUp.test(e.getKey());
      int w = e.getValue();
      if (!up && w == 0) {
        return new Verdict(spec.priority(), "tracked interface " + e.getKey() + " down");
      }
      delta += (up && w > 0) || (!up && w < 0) ? w : 0;
    }
    Map<String, TrackedScript> scripts = this.scripts;
    Map<String, TrackFile> files = this.files;
    for (Map.Entry<String, java.util.OptionalInt> e : spec.trackScripts().entrySet()) {
      if (refused(e.getKey())) {
        continue; // keepalived: "Disabling track script ... due to insecure": as if not tracked
      }
      TrackedScript ts = scripts.get(e.getKey());
      ScriptState st = status.get(e.getKey());
      boolean ok = st == null || st.ok;
      // keepalived: track_script without "weight N" uses the script's weight; an explicit "weight 0" means FAULT
      int w = e.getValue().isPresent() ? e.getValue().getAsInt() : ts == null ? 0 : ts.weight();
      if (!ok && w == 0) {
        return new Verdict(spec.priority(), "tracked script " + e.getKey() + " failed");
      }
      delta += (ok && w > 0) || (!ok && w < 0) ? w : 0;
    }
    for (Map.Entry<String, java.util.OptionalInt> e : spec.trackFiles().entrySet()) {
      TrackFile tf = files.get(e.getKey());
      Path p = tf != null ? tf.path() : Path.of(e.getKey());
      // keepalived: the instance's "weight N" (reverse carried as -N; 0 = FAULT), else the block's weight and reverse
      boolean own = e.getValue().isPresent();
      int w = own ? e.getValue().getAsInt() : tf == null ? 1 : tf.reverse() ? -tf.weight() : tf.weight();
      boolean reversedZero = !own && w == 0 && tf != null && tf.reverse();
      long v = readNumber(p);
      if (w == 0 && (reversedZero ? v == 0 : v != 0)) {
        return new Verdict(spec.priority(), "tracked file " + p + " holds " + v);
      }
      long product = Math.max(-1000L, Math.min(1000L, v)) * w; // |w| <= 254: no overflow
      if (w != 0 && product < -253) {
        // keepalived.conf(5): a result below -253 puts the instance in FAULT
        return new Verdict(spec.priority(), "tracked file " + p + " holds " + v + " (x weight " + w + " = " + product
            + ", below -253)");
      }
      delta += (int) Math.min(253, product);
    }
    return Verdict.ok(Math.max(1, Math.min(254, spec.priority() + delta)));
  }

  /** Each defined script's result and each track file's value now, with {@code interfaces} as given. */
  TrackingStatus snapshot(Map<String, Map<String, Boolean>> interfaces) {
    Map<String, TrackingStatus.Script> out = new java.util.TreeMap<>();
    for (String name : scripts.keySet()) {
      ScriptState st = refused(name) ? null : status.get(name);
      TrackingStatus.Result r = st == null || !st.known ? TrackingStatus.Result.UNKNOWN
          : st.ok ? TrackingStatus.Result.GOOD : TrackingStatus.Result.BAD;
      out.put(name, new TrackingStatus.Script(r, st != null && st.running));
    }
    Map<String, Long> values = new java.util.TreeMap<>();
    files.forEach((name, tf) -> values.put(name, readNumber(tf.path())));
    return new TrackingStatus(out, values, interfaces);
  }

  private static long readNumber(Path p) {
    try {
      String s = Files.readString(p).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s.split("\\s+")[0]);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** Rise/fall hysteresis of one script; starts OK like a script that has not failed yet. */
  static final class ScriptState {
    volatile boolean ok = true;
    volatile boolean known; // a run has ended
    volatile boolean running;
    int streak;
    volatile TimerService.Cancellable next;

    /** Cancels the pending run, if any. */
    void cancel() {
      TimerService.Cancellable c = next;
      if (c != null) {
        c.cancel();
      }
    }

    /** Records a result; true if the status flipped. */
    synchronized boolean record(boolean success, int rise, int fall) {
      if (success == ok) {
        streak = 0;
        return false;
      }
      streak++;
      if (streak >= (success ? rise : fall)) {
        ok = success;
        streak = 0;
        return true;
      }
      return false;
    }
  }

  /** Link state from sysfs: "up" or "unknown" (loopback, some tunnels) count as up. */
  static boolean sysfsLinkUp(String iface) {
    try {
      String s = Files.readString(Path.of("/sys/class/net", iface, "operstate")).trim();
      return s.equals("up") || s.equals("unknown");
    } catch (IOException e) {
      return false;
    }
  }
}

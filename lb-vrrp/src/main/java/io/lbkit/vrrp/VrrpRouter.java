package io.lbkit.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.RouteManager;
import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import io.lbkit.vrrp.internal.FarWakeUps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VRRP instances (keepalived's vrrp_instance / vrrp_sync_group) over a
 * {@link VrrpTransport}: elects, adds the virtual addresses through an
 * {@link AddressManager} on MASTER and removes them on BACKUP, FAULT and stop,
 * announces them (gratuitous ARP / unsolicited NA), tracks interfaces, scripts and
 * files, and notifies listeners and keepalived-style notify scripts.
 *
 * <pre>{@code
 * VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(150)
 *     .virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();
 * try (VrrpRouter router = VrrpRouter.builder(transport, addressManager, timers)   // RawVrrpTransport.open(null)
 *     .instance(spec).listener((name, from, to, why) -> log.info("{} {} -> {}", name, from, to)).build()) {
 *   router.start();
 *   // ... the application runs; the router holds the VIP while it is MASTER
 * }   // close(): priority 0 sent, VIPs removed
 * }</pre>
 *
 * <p>Compiled and run (on an {@link InMemoryVrrpNetwork}) by the examples module's
 * {@code JavadocExamplesTest}, which also checks that the text here is its code.
 */
public final class VrrpRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpRouter.class);

  private final Builder b;
  private final Channels channels;
  private final List<ExecutorService> owned = new ArrayList<>();
  private final Notifier notifier;
  private final Tracker tracker;
  private final MasterState held;
  // When an instance's timer expiry last ended: the instances share one clock, so (usually) one timer thread.
  private final java.util.concurrent.atomic.AtomicLong expiryEnded =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  // The instances' timers' far wake-ups (a backup's master-down re-arms): one scheduled task for all.
  private final FarWakeUps farWakeUps;
  // Replaced whole on a live change; read without the lock by the views.
  private volatile Map<String, VrrpInstance> instances;
  private volatile SyncGroups groups;
  private TimerService.Cancellable poll; // the scheduled tracking pass, or null
  // The transport's link events (VrrpTransport.watchLinks), or null: then the links are polled.
  private java.io.Closeable linkWatch;
  private boolean started;
  private boolean closed;

  private VrrpRouter(Builder b) {
    this.b = b;
    var notify = b.notifyExecutor != null ? b.notifyExecutor : own(Executors.newSingleThreadExecutor(
        daemon("lbkit-vrrp-notify")));
    var scripts = b.scriptExecutor != null ? b.scriptExecutor : own(Executors.newFixedThreadPool(4,
        daemon("lbkit-vrrp-script")));
    notifier = new Notifier(notify, b.listeners, b.runner, b.policy);
    tracker = new Tracker(b.clock, scripts, b.runner, b.linkUp != null ? b.linkUp : b.transport::linkUp, b.scripts, b.files, this::recheckSoon,
        b.policy);
    channels = new Channels(b.transport, b.clock, b.dropSink);
    held = new MasterState(b.addresses, b.routes);
    farWakeUps = new FarWakeUps(b.clock);
    LiveChange.validate(b.specs);
    groups = new SyncGroups(b.groups, b.specs);
    Map<String, VrrpInstance> m = new LinkedHashMap<>();
    b.specs.forEach(s -> m.put(s.name(), newInstance(s)));
    instances = Collections.unmodifiableMap(m);
  }

  /** A builder over a transport, the address port and a clock. */
  public static Builder builder(VrrpTransport transport, AddressManager addresses, TimerService clock) {
    return new Builder(transport, addresses, clock);
  }

  /** The instances, in configuration order. */
  public List<VrrpInstance> instances() {
    return List.copyOf(instances.values());
  }

  /**
   * The instance with this name.
   *
   * @throws IllegalArgumentException if there is none
   */
  public VrrpInstance instance(String name) {
    Map<String, VrrpInstance> m = instances;
    VrrpInstance i = m.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no vrrp_instance " + name + "; have " + m.keySet());
    }
    return i;
  }

  /**
   * The vrrp_scripts the {@link Builder#scriptPolicy script policy} refused (keepalived's
   * enable_script_security / script_user rules), by name, with the reason: they are
   * not run, and the instances tracking them run as if they did not.
   */
  public Map<String, String> refusedScripts() {
    return tracker.refused();
  }

  /**
   * What the tracking sees now: each vrrp_script's result (unknown until its first run
   * ends), each track_file's value (read now) and each instance's track_interface links
   * (read now, each interface once).
   */
  public TrackingStatus tracking() {
    var links = tracker.linkSnapshot();
    Map<String, Map<String, Boolean>> interfaces = new java.util.TreeMap<>();
    for (VrrpInstance inst : instances.values()) {
      Map<String, Boolean> m = new java.util.TreeMap<>();
      inst.spec().trackInterfaces().keySet().forEach(i -> m.put(i, links.test(i)));
      interfaces.put(inst.name(), Collections.unmodifiableMap(m));
    }
    return tracker.snapshot(interfaces);
  }

  /**
   * Adverts dropped before reaching an instance (a VRID no instance runs on that
   * interface, or undecodable with no instance to blame): interface name to reason
   * ({@code vrid}, {@code ttl}, {@code checksum} ...) to count; only non-zero counts.
   */
  public Map<String, Map<String, Long>> unmatchedDrops() {
    return channels.unmatched();
  }

  /**
   * Opens the transport's channels and starts every instance in BACKUP (or MASTER for
   * an owner), and the tracking.
   *
   * @throws IOException if a channel cannot be opened (nothing is left open then)
   */
  public synchronized void start() throws IOException {
    if (started) {
      throw new IllegalStateException("VRRP router already started");
    }
    List<VrrpInstanceSpec> specs = instances.values().stream().map(VrrpInstance::spec).toList();
    channels.openFor(specs);
    try {
      instances.values().forEach(this::attach);
    } catch (RuntimeException e) {
      channels.all().forEach(VrrpTransport.Channel::close);
      throw e;
    }
    started = true;
    held.warmUp(specs);
    tracker.initFiles();
    tracker.start(specs);
    watchLinks();
    recheck();
    for (VrrpInstance inst : instances.values()) {
      if (inst.state() == VrrpState.INIT) {
        inst.fsm().start();
      }
    }
    ensurePoll();
  }

  /**
   * With the transport's own link status (no {@link Builder#linkStatus}), its link events
   * where it has them: a link change re-evaluates the tracking at once, and no poll is
   * needed for links (keepalived's netlink link watch). Without events, the poll reads them.
   */
  private void watchLinks() {
    if (b.linkUp != null) {
      return; // a predicate of the caller's: nothing tells when it changes
    }
    try {
      linkWatch = b.transport.watchLinks(this::recheckSoon);
    } catch (IOException | RuntimeException e) {
      LOG.warn("no link events ({}): links are re-read every {} ms", e.toString(), b.trackingInterval.toMillis());
    }
  }

  /**
   * Live change: applies a new instance and sync-group list as the minimal difference,
   * without a restart. An instance whose name is new starts (in BACKUP); one that is
   * gone stops gracefully (a master sends priority 0 and removes its addresses); one
   * whose interface, VRID, version, family, source or multicast/unicast mode changed is
   * replaced that way; any other change (priority, advert_int, preempt, addresses,
   * tracking, notify, garp settings, password) is applied in place without leaving the
   * current state: a master keeps the addresses it still has, adds and announces new
   * ones, removes dropped ones, and advertises a new priority from its next advert
   * (so a lower one lets a preempting backup take over, as keepalived does after a
   * reload). Before {@link #start()} it only replaces the configuration.
   *
   * @throws IllegalArgumentException if the new configuration is invalid (nothing changed then)
   * @throws IOException if a needed channel cannot be opened (nothing changed then)
   */
  public void reconfigure(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups) throws IOException {
    reconfigure(next, nextGroups, null, null);
  }

  /**
   * A reload: {@link #reconfigure(List, List)}, and from now on exactly these
   * vrrp_scripts and track_files (replacing those of the builder and of earlier
   * reloads). Unchanged instances keep their state and addresses; the effective
   * priorities are re-evaluated at once with the new weights. A script whose command,
   * interval, timeout, rise, fall or user changed is restarted (counted OK until it
   * fails); one whose weight alone changed keeps its status; a script no instance
   * tracks any more stops. A new or changed track file's init_file is written.
   *
   * @throws IllegalArgumentException if the new configuration is invalid, e.g. an instance tracks a script that
   *     is not defined (nothing changed then)
   * @throws IOException if a needed channel cannot be opened (nothing changed then)
   */
  public void reconfigure(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups,
      Collection<TrackedScript> scripts, Collection<TrackedFile> files) throws IOException {
    reconfigure(next, nextGroups, scripts, files, null);
  }

  /**
   * A reload as {@link #reconfigure(List, List, Collection, Collection)}, with the
   * script policy of the new configuration (global_defs' script_user and
   * enable_script_security); null keeps the current one. Every script and notify
   * script is checked again under it.
   */
  public void reconfigure(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups,
      Collection<TrackedScript> scripts, Collection<TrackedFile> files, ScriptPolicy policy) throws IOException {
    Map<String, TrackedScript> nextScripts = null;
    Map<String, Tracker.TrackFile> nextFiles = null;
    if (scripts != null || files != null) {
      nextScripts = new LinkedHashMap<>();
      for (TrackedScript t : Objects.requireNonNull(scripts, "scripts")) {
        nextScripts.put(t.name(), t);
      }
      nextFiles = new LinkedHashMap<>();
      for (TrackedFile f : Objects.requireNonNull(files, "files")) {
        nextFiles.put(f.name(), Tracker.TrackFile.of(f));
      }
    }
    List<VrrpTransport.Channel> idle;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("VRRP router closed");
      }
      LiveChange.validate(next);
      SyncGroups ng = new SyncGroups(nextGroups, next);
      if (nextScripts != null) {
        Tracker.check(next, nextScripts.keySet());
      } else {
        tracker.check(next);
      }
      Map<String, VrrpInstance> cur = instances;
      LiveChange plan = LiveChange.between(cur, next);
      if (started) {
        channels.openFor(plan.added());
        for (VrrpInstance i : plan.removed()) {
          channels.leave(i);
          i.fsm().stop("removed from the configuration");
        }
      }
      if (nextScripts != null) {
        tracker.redefine(nextScripts, nextFiles, started, policy);
      }
      if (policy != null) {
        notifier.policy(policy);
      }
      groups = ng;
      plan.changed().forEach(VrrpInstance::reconfigure);
      Map<String, VrrpInstance> m = new LinkedHashMap<>();
      List<VrrpInstance> fresh = new ArrayList<>();
      for (VrrpInstanceSpec s : next) {
        VrrpInstance i = cur.get(s.name());
        if (i == null || plan.removed().contains(i)) {
          i = newInstance(s);
          fresh.add(i);
          if (started) {
            attach(i);
          }
        }
        m.put(s.name(), i);
      }
      instances = Collections.unmodifiableMap(m);
      if (!started) {
        return;
      }
      tracker.start(next);
      recheck();
      ensurePoll();
      for (VrrpInstance i : fresh) {
        if (i.state() == VrrpState.INIT) {
          i.fsm().start();
        }
      }
      idle = channels.idle();
    }
    idle.forEach(VrrpTransport.Channel::close);
  }

  private VrrpInstance newInstance(VrrpInstanceSpec s) {
    return new VrrpInstance(s, b.clock, held, b.transport, this::changed, b.dropSink, farWakeUps);
  }

  private void attach(VrrpInstance inst) {
    Channels.Slot slot = channels.join(inst);
    inst.attach(slot.channel(), slot.group());
    inst.fsm().setMasterGate(() -> groups.othersWantMaster(inst, instances));
    inst.fsm().shareTimerThread(expiryEnded);
  }

  private void changed(VrrpInstance inst, VrrpState from, VrrpState to, String reason) {
    VrrpInstanceSpec s = inst.spec();
    notifier.changed("INSTANCE", s.name(), from, to, reason, inst.effectivePriority(),
        new String[] {s.notifyMaster(), s.notifyBackup(), s.notifyFault(), s.notifyStop(), s.notifyCommand()},
        s.notifyUsers());
    VrrpSyncGroupSpec g = groups.of(s.name());
    if (g != null && !SyncGroups.caused(reason) && (to == VrrpState.MASTER || to == VrrpState.BACKUP)) {
      b.clock.schedule(Duration.ZERO, () -> propagate(g, inst, from, to));
    }
  }

  private void propagate(VrrpSyncGroupSpec g, VrrpInstance origin, VrrpState from, VrrpState to) {
    Map<String, VrrpInstance> m;
    synchronized (this) {
      if (closed) {
        return;
      }
      m = instances;
    }
    String why = SyncGroups.PREFIX + g.name() + ": " + origin.name() + " is " + to;
    for (String name : g.instances()) {
      VrrpInstance other = m.get(name);
      if (other != null && other != origin && other.fsm() != null) {
        if (to == VrrpState.MASTER) {
          other.fsm().forceMaster(why);
        } else {
          other.fsm().forceBackup(why);
        }
      }
    }
    notifier.changed("GROUP", g.name(), from, to, why, 0,
        new String[] {g.notifyMaster(), g.notifyBackup(), g.notifyFault(), null, g.notifyCommand()}, Map.of());
  }

  private void recheckSoon() {
    b.clock.schedule(Duration.ZERO, this::recheck);
  }

  /**
   * Schedules the next tracking pass if one is needed and none is scheduled. A pass is
   * needed for what only a poll can see: links without link events, and track files. An
   * instance tracking nothing else (and scripts, which re-evaluate when they flip) costs
   * no wake-up while nothing changes. Under this lock.
   */
  private void ensurePoll() {
    if (poll == null && !closed && pollNeeded()) {
      poll = b.clock.schedule(b.trackingInterval, this::pollOnce);
    }
  }

  private boolean pollNeeded() {
    if (linkWatch == null) {
      return true;
    }
    for (VrrpInstance inst : instances.values()) {
      if (!inst.spec().trackFiles().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private void pollOnce() {
    synchronized (this) {
      poll = null;
      if (closed) {
        return;
      }
    }
    recheck();
    synchronized (this) {
      ensurePoll();
    }
  }

  /**
   * Re-evaluates tracking now (also done when a link changes or a script flips, and every
   * tracking interval while something needs a poll: a track_file, or links whose
   * transport has no link events, e.g. with a {@link Builder#linkStatus} predicate).
   */
  public synchronized void recheck() {
    if (closed || !started) {
      return;
    }
    var links = tracker.linkSnapshot(); // one sysfs read per interface per pass, not per instance
    if (groups.isEmpty()) { // each verdict concerns its instance alone: no table of them (a pass a second)
      for (VrrpInstance inst : instances.values()) {
        apply(inst, tracker.verdict(inst.spec(), links));
      }
      return;
    }
    Map<String, Tracker.Verdict> verdicts = new LinkedHashMap<>();
    for (VrrpInstance inst : instances.values()) {
      verdicts.put(inst.name(), tracker.verdict(inst.spec(), links));
    }
    groups.spreadFaults(verdicts);
    for (VrrpInstance inst : instances.values()) {
      apply(inst, verdicts.get(inst.name()));
    }
  }

  private static void apply(VrrpInstance inst, Tracker.Verdict v) {
    var fsm = inst.fsm();
    if (fsm == null || fsm.state() == VrrpState.STOP) {
      return;
    }
    fsm.setEffectivePriority(v.priority());
    if (v.fault() != null) {
      if (fsm.state() == VrrpState.INIT) {
        fsm.start();
      }
      fsm.fault(v.fault());
    } else {
      fsm.faultCleared("tracked objects are up");
    }
  }

  /**
   * Graceful stop: every master sends priority 0 and removes its addresses, every
   * instance goes to STOP, channels close and owned threads end. Idempotent.
   */
  @Override
  public void close() {
    List<VrrpTransport.Channel> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (poll != null) {
        poll.cancel();
        poll = null;
      }
      tracker.close();
      for (VrrpInstance inst : instances.values()) {
        if (inst.fsm() != null) {
          inst.fsm().stop("router stopped");
        }
      }
      open = channels.all();
    }
    if (linkWatch != null) {
      try {
        linkWatch.close();
      } catch (IOException e) {
        LOG.debug("closing the link watch: {}", e.toString());
      }
    }
    open.forEach(VrrpTransport.Channel::close);
    for (ExecutorService e : owned) {
      e.shutdown();
      try {
        if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
          e.shutdownNow();
        }
      } catch (InterruptedException ie) {
        e.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private ExecutorService own(ExecutorService e) {
    owned.add(e);
    return e;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Collects instances, groups, scripts, listeners and the executors to use. */
  public static final class Builder {
    private final VrrpTransport transport;
    private final AddressManager addresses;
    private final TimerService clock;
    private final List<VrrpInstanceSpec> specs = new ArrayList<>();
    private final List<VrrpSyncGroupSpec> groups = new ArrayList<>();
    private final Map<String, TrackedScript> scripts = new LinkedHashMap<>();
    private final Map<String, Tracker.TrackFile> files = new LinkedHashMap<>();
    private final List<VrrpListener> listeners = new ArrayList<>();
    private RouteManager routes;
    private java.util.concurrent.Executor notifyExecutor;
    private java.util.concurrent.Executor scriptExecutor;
    private ProcessRunner runner = ProcessRunner.processes();
    private Predicate<String> linkUp; // null: the transport's
    private Duration trackingInterval = Duration.ofSeconds(1);
    private DropLog.Sink dropSink = DropLog.SLF4J;
    private ScriptPolicy policy = ScriptPolicy.NONE;

    private Builder(VrrpTransport transport, AddressManager addresses, TimerService clock) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A snapshot of {@code o}: what a router runs with, out of reach of later calls on {@code o}. */
    private Builder(Builder o) {
      this(o.transport, o.addresses, o.clock);
      specs.addAll(o.specs);
      groups.addAll(o.groups);
      scripts.putAll(o.scripts);
      files.putAll(o.files);
      listeners.addAll(o.listeners);
      routes = o.routes;
      notifyExecutor = o.notifyExecutor;
      scriptExecutor = o.scriptExecutor;
      runner = o.runner;
      linkUp = o.linkUp;
      trackingInterval = o.trackingInterval;
      dropSink = o.dropSink;
      policy = o.policy;
    }

    /** Adds a vrrp_instance. */
    public Builder instance(VrrpInstanceSpec spec) {
      specs.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /** Adds a vrrp_sync_group over instances added to this builder. */
    public Builder syncGroup(VrrpSyncGroupSpec group) {
      groups.add(Objects.requireNonNull(group, "group"));
      return this;
    }

    /** Defines a vrrp_script that instances may track by name. */
    public Builder script(TrackedScript script) {
      scripts.put(script.name(), script);
      return this;
    }

    /** Defines a track_file: {@code name} (as instances' track_file refers to it), its path and weight. */
    public Builder trackFile(String name, Path path, int weight) {
      files.put(Objects.requireNonNull(name, "name"), new Tracker.TrackFile(path, weight));
      return this;
    }

    /**
     * Defines a track_file from its spec: as {@link #trackFile(String, Path, int)}, plus
     * {@code reverse} and init_file (the value is written when the router starts).
     */
    public Builder trackFile(TrackedFile f) {
      files.put(f.name(), Tracker.TrackFile.of(f));
      return this;
    }

    /**
     * Where virtual_routes go (lb-netlink's {@code NetlinkRouteManager} for real). Without
     * one, instances with virtual_routes run and warn that the routes are not added.
     */
    public Builder routes(RouteManager r) {
      routes = Objects.requireNonNull(r, "routes");
      return this;
    }

    /** Adds a listener, told of every transition on the notify executor. */
    public Builder listener(VrrpListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where listeners and notify scripts run (default: one daemon thread owned by the router). */
    public Builder notifyExecutor(java.util.concurrent.Executor e) {
      notifyExecutor = e;
      return this;
    }

    /** Where vrrp_scripts run (default: four daemon threads owned by the router). */
    public Builder scriptExecutor(java.util.concurrent.Executor e) {
      scriptExecutor = e;
      return this;
    }

    /** How scripts are run (default: real processes without a shell). */
    public Builder processRunner(ProcessRunner r) {
      runner = Objects.requireNonNull(r, "runner");
      return this;
    }

    /**
     * Link state of an interface (default: the transport's {@link VrrpTransport#linkUp},
     * which for a real link is its operstate and for an in-memory host the in-memory
     * network's, re-read on the transport's {@link VrrpTransport#watchLinks link events}).
     * A predicate given here is polled every {@link #trackingInterval}.
     */
    public Builder linkStatus(Predicate<String> up) {
      linkUp = Objects.requireNonNull(up, "up");
      return this;
    }

    /**
     * How often interfaces and files are re-read (default 1 s) where a poll is needed: for
     * track_files, and for links when the transport has no link events or a
     * {@link #linkStatus} predicate is given.
     */
    public Builder trackingInterval(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("tracking interval must be positive: " + d);
      }
      trackingInterval = d;
      return this;
    }

    /**
     * Who scripts run as and which are refused (default {@link ScriptPolicy#NONE}: as
     * this process unless a script names its user; nothing refused). A keepalived
     * configuration's is {@link ScriptPolicy#of ScriptPolicy.of(globals)}.
     */
    public Builder scriptPolicy(ScriptPolicy p) {
      policy = Objects.requireNonNull(p, "policy");
      return this;
    }

    /** Where the rate-limited drop lines go (default: the log at WARN); for tests. */
    Builder dropLog(DropLog.Sink sink) {
      dropSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Builds a router (not started) from a snapshot of this builder: changing the
     * builder afterwards does not change the router (it may build another one).
     */
    public VrrpRouter build() {
      return new VrrpRouter(new Builder(this));
    }
  }
}

package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import io.lbkit.vrrp.internal.DropReason;
import io.lbkit.vrrp.internal.VrrpCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * try (VrrpRouter router = VrrpRouter.builder(RawVrrpTransport.open(), addressManager, timers)
 *     .instance(spec).listener((name, from, to, why) -> log.info("{} {} -> {}", name, from, to)).build()) {
 *   router.start();
 *   ...
 * }   // close(): priority 0 sent, VIPs removed
 * }</pre>
 */
public final class VrrpRouter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpRouter.class);
  private static final String SYNC = "sync group ";

  private final Builder b;
  private final Map<String, VrrpInstance> instances = new LinkedHashMap<>();
  private final Map<String, VrrpSyncGroupSpec> groupOf = new LinkedHashMap<>();
  private final List<VrrpTransport.Channel> channels = new ArrayList<>();
  private final Map<String, Long> unmatched = new LinkedHashMap<>();
  private final List<ExecutorService> owned = new ArrayList<>();
  private final Notifier notifier;
  private final Tracker tracker;
  private TimerService.Cancellable poll;
  private boolean started;
  private boolean closed;

  private VrrpRouter(Builder b) {
    this.b = b;
    var notify = b.notifyExecutor != null ? b.notifyExecutor : own(Executors.newSingleThreadExecutor(
        daemon("lbkit-vrrp-notify")));
    var scripts = b.scriptExecutor != null ? b.scriptExecutor : own(Executors.newFixedThreadPool(4,
        daemon("lbkit-vrrp-script")));
    notifier = new Notifier(notify, b.listeners, b.runner);
    tracker = new Tracker(b.clock, scripts, b.runner, b.linkUp, b.scripts, b.files, this::recheckSoon);
    for (VrrpInstanceSpec s : b.specs) {
      if (instances.containsKey(s.name())) {
        throw new IllegalArgumentException("vrrp_instance " + s.name() + " defined twice");
      }
      instances.put(s.name(), new VrrpInstance(s, b.clock, b.addresses, b.transport, this::changed));
    }
    for (VrrpSyncGroupSpec g : b.groups) {
      for (String m : g.instances()) {
        if (!instances.containsKey(m)) {
          throw new IllegalArgumentException("vrrp_sync_group " + g.name() + ": no vrrp_instance " + m);
        }
        if (groupOf.put(m, g) != null) {
          throw new IllegalArgumentException("vrrp_instance " + m + " is in more than one vrrp_sync_group");
        }
      }
    }
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
    VrrpInstance i = instances.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no vrrp_instance " + name + "; have " + instances.keySet());
    }
    return i;
  }

  /** Packets dropped before reaching an instance (unknown VRID, or undecodable), by reason. */
  public synchronized Map<String, Long> unmatchedDrops() {
    return Map.copyOf(unmatched);
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
    started = true;
    Map<String, VrrpTransport.Channel> byKey = new LinkedHashMap<>();
    Map<VrrpTransport.Channel, Map<Integer, VrrpInstance>> byVrid = new LinkedHashMap<>();
    try {
      for (VrrpInstance inst : instances.values()) {
        VrrpInstanceSpec s = inst.spec();
        InetAddress group = s.unicastPeers().isEmpty() ? groupOf(s) : null;
        String key = s.interfaceName() + "|" + s.family() + "|" + group + "|" + s.unicastSource();
        VrrpTransport.Channel ch = byKey.get(key);
        if (ch == null) {
          Map<Integer, VrrpInstance> demux = new java.util.concurrent.ConcurrentHashMap<>();
          ch = b.transport.open(s.interfaceName(), s.family(), group, s.unicastSource(),
              (buf, src, dst, ttl) -> receive(demux, buf, src, dst, ttl));
          byKey.put(key, ch);
          byVrid.put(ch, demux);
          channels.add(ch);
        }
        if (byVrid.get(ch).putIfAbsent(s.vrid(), inst) != null) {
          throw new IllegalArgumentException("vrrp_instance " + s.name() + ": VRID " + s.vrid()
              + " is already used on " + s.interfaceName() + " (" + s.family() + ")");
        }
        inst.attach(ch, group);
      }
    } catch (IOException | RuntimeException e) {
      channels.forEach(VrrpTransport.Channel::close);
      channels.clear();
      throw e;
    }
    tracker.start(b.specs);
    recheck();
    for (VrrpInstance inst : instances.values()) {
      if (inst.state() == VrrpState.INIT) {
        inst.fsm().start();
      }
    }
    schedulePoll();
  }

  private static InetAddress groupOf(VrrpInstanceSpec s) {
    if (s.multicastGroup() != null) {
      return s.multicastGroup();
    }
    return io.lbkit.api.Inet.parse(s.family() == Family.INET ? "224.0.0.18" : "ff02::12");
  }

  private void receive(Map<Integer, VrrpInstance> demux, ByteBuffer buf, InetAddress src, InetAddress dst, int ttl) {
    VrrpInstance inst = buf.remaining() >= 2 ? demux.get(buf.get(buf.position() + 1) & 0xff) : null;
    VrrpCodec.Decoded d = VrrpCodec.decode(buf, src, dst, ttl);
    if (inst == null) {
      synchronized (this) {
        unmatched.merge(d.ok() ? DropReason.VRID.name().toLowerCase() : d.dropReason().name().toLowerCase(), 1L,
            Long::sum);
      }
      return;
    }
    if (!d.ok()) {
      inst.countDrop(d.dropReason());
      LOG.debug("VRRP instance {}: dropped: {}", inst.name(), d.detail());
      return;
    }
    inst.received(d.packet(), d.checksumForm(), src);
  }

  private void changed(VrrpInstance inst, VrrpState from, VrrpState to, String reason) {
    VrrpInstanceSpec s = inst.spec();
    notifier.changed("INSTANCE", s.name(), from, to, reason, inst.effectivePriority(),
        new String[] {s.notifyMaster(), s.notifyBackup(), s.notifyFault(), s.notifyStop(), s.notifyCommand()});
    VrrpSyncGroupSpec g = groupOf.get(s.name());
    if (g != null && !reason.startsWith(SYNC) && (to == VrrpState.MASTER || to == VrrpState.BACKUP)) {
      b.clock.schedule(Duration.ZERO, () -> propagate(g, inst, from, to));
    }
  }

  private void propagate(VrrpSyncGroupSpec g, VrrpInstance origin, VrrpState from, VrrpState to) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    String why = SYNC + g.name() + ": " + origin.name() + " is " + to;
    for (String m : g.instances()) {
      VrrpInstance other = instances.get(m);
      if (other != origin) {
        if (to == VrrpState.MASTER) {
          other.fsm().forceMaster(why);
        } else {
          other.fsm().forceBackup(why);
        }
      }
    }
    notifier.changed("GROUP", g.name(), from, to, why, 0,
        new String[] {g.notifyMaster(), g.notifyBackup(), g.notifyFault(), null, g.notifyCommand()});
  }

  private void recheckSoon() {
    b.clock.schedule(Duration.ZERO, this::recheck);
  }

  private void schedulePoll() {
    poll = b.clock.schedule(b.trackingInterval, () -> {
      synchronized (VrrpRouter.this) {
        if (closed) {
          return;
        }
      }
      recheck();
      schedulePoll();
    });
  }

  /** Re-evaluates tracking now (also done every tracking interval and when a script flips). */
  public synchronized void recheck() {
    if (closed) {
      return;
    }
    Map<String, Tracker.Verdict> verdicts = new LinkedHashMap<>();
    for (VrrpInstance inst : instances.values()) {
      verdicts.put(inst.name(), tracker.verdict(inst.spec()));
    }
    for (VrrpSyncGroupSpec g : b.groups) {
      String fault = g.instances().stream().map(m -> verdicts.get(m).fault() == null ? null
          : SYNC + g.name() + ": " + m + ": " + verdicts.get(m).fault()).filter(Objects::nonNull).findFirst()
          .orElse(null);
      if (fault != null) {
        g.instances().forEach(m -> verdicts.computeIfPresent(m, (k, v) -> v.fault() != null ? v
            : new Tracker.Verdict(v.priority(), fault)));
      }
    }
    for (VrrpInstance inst : instances.values()) {
      Tracker.Verdict v = verdicts.get(inst.name());
      var fsm = inst.fsm();
      if (fsm == null || fsm.state() == VrrpState.STOP) {
        continue;
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
  }

  /**
   * Graceful stop: every master sends priority 0 and removes its addresses, every
   * instance goes to STOP, channels close and owned threads end. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (poll != null) {
        poll.cancel();
      }
    }
    tracker.close();
    for (VrrpInstance inst : instances.values()) {
      if (inst.fsm() != null) {
        inst.fsm().stop("router stopped");
      }
    }
    channels.forEach(VrrpTransport.Channel::close);
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
    private java.util.concurrent.Executor notifyExecutor;
    private java.util.concurrent.Executor scriptExecutor;
    private ProcessRunner runner = ProcessRunner.processes();
    private Predicate<String> linkUp = Tracker::sysfsLinkUp;
    private Duration trackingInterval = Duration.ofSeconds(1);

    private Builder(VrrpTransport transport, AddressManager addresses, TimerService clock) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      this.clock = Objects.requireNonNull(clock, "clock");
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

    /** Link state of an interface (default: /sys/class/net/IFACE/operstate). */
    public Builder linkStatus(Predicate<String> up) {
      linkUp = Objects.requireNonNull(up, "up");
      return this;
    }

    /** How often interfaces and files are re-read (default 1 s). */
    public Builder trackingInterval(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("tracking interval must be positive: " + d);
      }
      trackingInterval = d;
      return this;
    }

    /** Builds a router (not started). */
    public VrrpRouter build() {
      return new VrrpRouter(this);
    }
  }
}

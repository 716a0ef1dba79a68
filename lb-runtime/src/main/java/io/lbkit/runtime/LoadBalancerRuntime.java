package io.lbkit.runtime;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.HealthChecking;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.RouteManager;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.vrrp.TrackingStatus;
import io.lbkit.vrrp.VrrpTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A whole load balancer running in this JVM, as {@code lbctl run} (and keepalived)
 * runs a keepalived.conf: static_ipaddress and static_routes, the VRRP instances with
 * their vrrp_scripts, track_files, notify scripts, sync groups and virtual routes, the
 * virtual servers programmed into IPVS and their real servers' health checks, with
 * global_defs' lvs_flush, lvs_flush_on_stop and lvs_sync_daemon (the IPVS connection sync
 * daemon following its VRRP instance's role, as keepalived runs it: the backup daemon
 * while BACKUP or FAULT, the master daemon while MASTER, both stopped at close; nothing on
 * the nftables dataplane, which is reported). The IPVS table is re-read and corrected
 * every {@link #RESYNC}. On a kernel without IPVS the virtual servers run on nf_tables
 * instead ({@link Dataplane}).
 *
 * <pre>{@code
 * try (LoadBalancerRuntime lb = LoadBalancerRuntime.start(Path.of("/etc/keepalived/keepalived.conf"))) {
 *   ...                                  // runs until closed
 * }                                      // masters send priority 0, VIPs and static addresses removed
 * }</pre>
 *
 * <p>{@link #reload} applies only the difference: unchanged VRRP instances keep their
 * state and addresses (a new or re-weighted vrrp_script or track_file changes the
 * effective priority in place), unchanged real servers keep their checks, and a
 * changed weight is one IPVS update. A configuration with errors is refused with a
 * {@link ConfigException} and the running one stays. Without virtual servers no IPVS
 * socket is opened, unless lvs_sync_daemon needs it. {@link #builder()} runs it in a
 * network namespace, on an injected clock or on other adapters (lb-testing's fakes, lb-vrrp's {@code InMemoryVrrpNetwork}).
 */
public final class LoadBalancerRuntime implements AutoCloseable {
  /** How often the IPVS table is re-read and corrected (a change the kernel refused is retried then). */
  public static final Duration RESYNC = Duration.ofSeconds(60);

  private final Adapters adapters;
  private final Listeners listener;
  private final RuntimeEngine engine;
  private final KeepalivedFiles files = new KeepalivedFiles();
  private boolean closed;

  private LoadBalancerRuntime(Builder b) {
    adapters = new Adapters(b.netns, b.timers, b.dataplane, b.ipvs, b.addresses, b.routes, b.transport, b.linkStatus);
    listener = new Listeners(b.listeners);
    engine = new RuntimeEngine(adapters, listener, b.health, b.checkThreads);
    listener.bound(this);
  }

  /**
   * Starts a keepalived.conf on this host's kernel (see {@link Builder#start(Path)}).
   *
   * @throws ConfigException if the file has errors (each in {@link ConfigException#diagnostics()}) or cannot run
   * @throws IOException if the file cannot be read or the kernel refuses (nothing is left running then)
   */
  public static LoadBalancerRuntime start(Path keepalivedConf) throws IOException {
    return builder().start(keepalivedConf);
  }

  /**
   * Starts a spec on this host's kernel (see {@link Builder#start(LoadBalancerSpec)}).
   *
   * @throws ConfigException if the spec cannot run (nothing is left running then)
   * @throws IOException if the kernel refuses (nothing is left running then)
   */
  public static LoadBalancerRuntime start(LoadBalancerSpec spec) throws IOException {
    return builder().start(spec);
  }

  /** A builder: namespace, clock, adapters and listeners; {@code start} runs it. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Re-reads a keepalived.conf and applies only what changed (see
   * {@link #reload(LoadBalancerSpec)}).
   *
   * @return what changed
   * @throws ConfigException if the file has errors: nothing changed, the running configuration stays
   * @throws IOException if the file cannot be read (nothing changed), or the kernel refuses
   */
  public Changes reload(Path keepalivedConf) throws IOException {
    LoadBalancerSpec next;
    try {
      next = files.reread(keepalivedConf);
    } catch (IOException | RuntimeException e) {
      listener.reloadFailed(e);
      throw e;
    }
    return reload(next);
  }

  /**
   * Applies a new spec as the difference to the running one: VRRP instances added,
   * removed or changed in place (an unchanged or live-changeable one keeps its state
   * and addresses), vrrp_scripts and track_files replaced (effective priorities
   * re-evaluated at once), static addresses and routes added and removed, IPVS
   * virtual and real servers reconciled, checks started and stopped only where they
   * changed.
   *
   * @return what changed (also told to the listeners)
   * @throws ConfigException if the spec cannot run (e.g. an instance tracks a script it does not define): nothing
   *     changed
   * @throws IOException if the kernel refuses to open IPVS (nothing changed), or to read its table (VRRP and static
   *     changes are then applied already); refused single IPVS changes are in {@link Changes#ipvs()} instead
   * @throws IllegalStateException if closed
   */
  public synchronized Changes reload(LoadBalancerSpec next) throws IOException {
    if (closed) {
      throw new IllegalStateException("load balancer runtime is closed");
    }
    try {
      return engine.apply(next);
    } catch (IOException | RuntimeException e) {
      listener.reloadFailed(e);
      throw e;
    }
  }

  /**
   * Re-reads the dataplane's table now and puts back whatever differs from the running
   * spec and the health verdicts (what the periodic resync does every {@link #RESYNC}):
   * e.g. to retry the changes a {@link #reload} could not make ({@link Changes#ipvs()}'s
   * failed ones; a reload of the same spec again writes nothing, since nothing differs
   * from the spec it holds). Told to the listeners as a {@code "resync"}.
   *
   * @return what it changed and what still failed ({@link Reconciliation#NONE} before the first virtual server)
   * @throws IOException if the kernel refuses the read
   * @throws IllegalStateException if closed
   */
  public synchronized Reconciliation resync() throws IOException {
    if (closed) {
      throw new IllegalStateException("load balancer runtime is closed");
    }
    return engine.resync();
  }

  static LoadBalancerSpec parse(Path file) throws IOException {
    return KeepalivedFiles.checked(KeepalivedConfig.parse(file));
  }

  /** Each VRRP instance's state and effective priority, and each virtual server's real servers, now. */
  public LoadBalancerStatus status() {
    return engine.status();
  }

  /**
   * Each VRRP instance's counters by name ({@code received}, {@code sent},
   * {@code late_timers}, {@code dropped_<reason>}, ...: lb-vrrp's
   * {@code VrrpInstance.counters()}), read now; empty before the first instance.
   */
  public Map<String, Map<String, Long>> vrrpCounters() {
    return engine.vrrpCounters();
  }

  /**
   * What the VRRP tracking sees now: each vrrp_script's result, each track_file's value
   * and each instance's tracked interfaces (lb-vrrp's {@code VrrpRouter.tracking()});
   * empty before the first instance.
   */
  public TrackingStatus vrrpTracking() {
    return engine.vrrpTracking();
  }

  /**
   * The dataplane's table with its counters (connections, packets, bytes per service and
   * real server), read from the kernel now; empty before the first virtual server.
   *
   * @throws IOException if the kernel refuses the read
   */
  public List<ServiceSnapshot> dataplaneSnapshot() throws IOException {
    return engine.dataplaneSnapshot();
  }

  /** The clock the runtime runs on (the builder's, or real time). */
  public TimerService timers() {
    return adapters.timers();
  }

  /**
   * The dataplane forwarding the virtual servers: IPVS or NFTABLES once the runtime opened
   * it (with the first virtual server); before that, or when the builder was given the
   * table, the builder's {@link Builder#dataplane} (AUTO by default).
   */
  public Dataplane dataplane() {
    return adapters.dataplane();
  }

  /** The running spec (the last one applied). */
  public LoadBalancerSpec spec() {
    return engine.spec();
  }

  /**
   * Stops gracefully: the IPVS sync daemons the runtime runs are stopped, every VRRP master
   * sends priority 0 and removes its addresses,
   * checks stop, the IPVS rules are removed if the running spec says lvs_flush_on_stop
   * (else they stay, as keepalived leaves them), static addresses and routes are
   * removed, and what the runtime opened is closed (adapters given to the builder are
   * the caller's to close). Idempotent.
   *
   * @throws IOException if removing the IPVS rules failed (everything else is stopped regardless)
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    engine.close();
  }

  /**
   * Where and on what the runtime runs. Every setting is optional: by default it runs
   * on this process's network namespace with lb-netlink's adapters, lb-vrrp's raw
   * sockets, lb-checks' health checkers and a timer thread of its own.
   */
  public static final class Builder {
    private String netns;
    private Dataplane dataplane = Dataplane.AUTO;
    private TimerService timers;
    private Ipvs ipvs;
    private AddressManager addresses;
    private RouteManager routes;
    private VrrpTransport transport;
    private Function<Consumer<HealthEvent>, HealthChecking> health;
    private Predicate<String> linkStatus;
    private int checkThreads = 1;
    private final List<RuntimeListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Runs in network namespace {@code name} ({@code /run/netns/NAME}): VRRP sockets,
     * addresses, routes and IPVS are that namespace's. Health checks leave from this
     * process's namespace.
     */
    public Builder netns(String name) {
      netns = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The clock for VRRP, tracking, resync and (then also) health checks, e.g.
     * lb-testing's {@code ManualClock}. Default: a daemon timer thread of the runtime's.
     */
    public Builder timers(TimerService t) {
      timers = Objects.requireNonNull(t, "timers");
      return this;
    }

    /**
     * Which dataplane the runtime opens for the virtual servers (default {@link Dataplane#AUTO}:
     * IPVS when the kernel has it, else nftables). Ignored when {@link #ipvs} gives the table.
     */
    public Builder dataplane(Dataplane d) {
      dataplane = Objects.requireNonNull(d, "dataplane");
      return this;
    }

    /**
     * The table (default: opened on {@link #dataplane}, lb-netlink's {@code NetlinkIpvs} or
     * lb-nftables' {@code NftablesIpvs}, only once there are virtual servers).
     */
    public Builder ipvs(Ipvs i) {
      ipvs = Objects.requireNonNull(i, "ipvs");
      return this;
    }

    /** Where VIPs and static addresses go (default: lb-netlink's {@code NetlinkAddressManager}). */
    public Builder addresses(AddressManager a) {
      addresses = Objects.requireNonNull(a, "addresses");
      return this;
    }

    /** Where virtual and static routes go (default: lb-netlink's {@code NetlinkRouteManager}). */
    public Builder routes(RouteManager r) {
      routes = Objects.requireNonNull(r, "routes");
      return this;
    }

    /** VRRP's link layer, e.g. {@code InMemoryVrrpNetwork.host(address)} (default: lb-vrrp's raw sockets). */
    public Builder vrrpTransport(VrrpTransport t) {
      transport = Objects.requireNonNull(t, "transport");
      return this;
    }

    /**
     * Health checking, created with the listener it reports to (default: lb-checks'
     * checkers, {@code MonitoredServices} over a {@code HealthMonitor}).
     */
    public Builder healthChecking(Function<Consumer<HealthEvent>, HealthChecking> factory) {
      health = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * How many threads run the network health checks (1-64, default 1, as keepalived's one
     * checker process): see {@code HealthMonitor.Builder.checkThreads}. One thread carries about
     * 10,000 HTTP checks a second per core it gets; 100,000 real servers at delay_loop 6 s need 2.
     * Not used when {@link #healthChecking} gives the health checking.
     */
    public Builder checkThreads(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("checkThreads must be within 1-64: " + n);
      }
      checkThreads = n;
      return this;
    }

    /**
     * Whether an interface is up, for VRRP's interface tracking (default: the
     * namespace's link state, or /sys/class/net/IFACE/operstate without a namespace).
     */
    public Builder linkStatus(Predicate<String> up) {
      linkStatus = Objects.requireNonNull(up, "up");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(RuntimeListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * Reads a keepalived.conf (warnings are logged) and starts it.
     *
     * @throws ConfigException if the file has errors (each in {@link ConfigException#diagnostics()}, with file and
     *     line) or cannot run; nothing was started
     * @throws IOException if the file cannot be read or the kernel refuses; nothing is left running
     */
    public LoadBalancerRuntime start(Path keepalivedConf) throws IOException {
      KeepalivedConfig c = KeepalivedConfig.parse(keepalivedConf);
      LoadBalancerRuntime r = start(KeepalivedFiles.checked(c));
      r.files.started(c);
      return r;
    }

    /**
     * Starts a spec: static addresses and routes, VRRP, then IPVS and checks. A VRRP
     * instance (with preemption) whose VIPs are all on its interface already, left by a
     * previous run killed with SIGKILL, starts as MASTER at once (restart adoption), so the
     * backups see no gap in its adverts.
     *
     * @throws ConfigException if the spec cannot run; nothing is left running
     * @throws IOException if the kernel refuses; nothing is left running
     */
    public LoadBalancerRuntime start(LoadBalancerSpec spec) throws IOException {
      Objects.requireNonNull(spec, "spec");
      LoadBalancerRuntime rt = new LoadBalancerRuntime(this);
      try {
        synchronized (rt) {
          LoadBalancerSpec adopted = spec.vrrpInstances().isEmpty() ? spec
              : Adoption.adopt(spec, rt.adapters.addresses());
          rt.engine.apply(adopted);
          rt.engine.spec(spec); // as configured: a reload compares against the file, not the adopted start state
        }
        return rt;
      } catch (IOException | RuntimeException e) {
        try {
          rt.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}

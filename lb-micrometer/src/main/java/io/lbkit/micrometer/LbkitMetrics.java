package io.lbkit.micrometer;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.checks.CheckResult;
import io.lbkit.runtime.Changes;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.runtime.RuntimeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LoadBalancerRuntime}'s metrics in a Micrometer registry: give it to the
 * runtime's builder as a listener, and the registry has them from the start.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;                 // the application's (Prometheus, OTLP, ...)
 * LoadBalancerRuntime lb = LoadBalancerRuntime.builder()
 *     .listener(LbkitMetrics.create(registry))
 *     .start(Path.of("/etc/keepalived/keepalived.conf"));
 * }</pre>
 *
 * <p>What is measured (Prometheus names; the labels of the dataplane and check meters
 * are node_exporter's {@code local_address local_port local_mark proto remote_address
 * remote_port}, the VRRP meters' the keepalived exporters' {@code iname intf vrid}):
 * <ul>
 *   <li>VRRP per instance: {@code lbkit_vrrp_state}, {@code lbkit_vrrp_priority_effective},
 *       {@code lbkit_vrrp_priority_configured}, {@code lbkit_vrrp_adverts_sent_total},
 *       {@code lbkit_vrrp_adverts_received_total}, {@code lbkit_vrrp_adverts_dropped_total{reason}},
 *       {@code lbkit_vrrp_late_timers_total}, {@code lbkit_vrrp_become_master_total},
 *       {@code lbkit_vrrp_release_master_total}, {@code lbkit_vrrp_priority_zero_(received|sent)_total};
 *       tracking: {@code lbkit_vrrp_script_status{name}}, {@code lbkit_vrrp_script_state{name}},
 *       {@code lbkit_vrrp_track_file_value{name}}, and per instance
 *       {@code lbkit_vrrp_track_script_status{name}} and {@code lbkit_vrrp_track_interface_up{track_interface}};</li>
 *   <li>dataplane per real server: node_exporter's {@code lbkit_ipvs_backend_weight} (in the kernel;
 *       0 when down), {@code lbkit_ipvs_backend_connections_active}, {@code lbkit_ipvs_backend_connections_inactive};
 *       with {@link Builder#realServerDetail} also the health verdict {@code lbkit_ipvs_backend_up},
 *       {@code lbkit_ipvs_backend_weight_configured}, {@code lbkit_check_since_change_seconds},
 *       {@code lbkit_ipvs_backend_connections_total}, {@code lbkit_ipvs_backend_(incoming|outgoing)_(packets|bytes)_total};
 *       per service the traffic counters {@code lbkit_ipvs_service_connections_total},
 *       {@code lbkit_ipvs_service_(incoming|outgoing)_(packets|bytes)_total} and
 *       {@code lbkit_ipvs_service_quorum_up};</li>
 *   <li>reconciliation: {@code lbkit_reconcile_operations_total{cause}},
 *       {@code lbkit_reconcile_failures_total{cause}} (cause apply, health or resync),
 *       {@code lbkit_resync_repairs_total}, {@code lbkit_dataplane_read_failures_total};</li>
 *   <li>checks: {@code lbkit_check_results_total{check,outcome}} (per service and check type, or
 *       per real server with {@link Builder#realServerDetail}), {@code lbkit_check_duration_seconds}
 *       (histogram per service and check type, or per real server: {@link Builder#checkDurationPerRealServer}),
 *       {@code lbkit_check_lag_seconds} (histogram: how late attempts start);</li>
 *   <li>configuration: {@code lbkit_config_reloads_total{result}}, {@code lbkit_config_generation}.</li>
 * </ul>
 * Gauges read the runtime (its status, VRRP counters and one read of the dataplane
 * table) at most once per {@link Builder#refreshEvery} (1 s by default), whichever
 * meter is read first; {@link #refresh()} forces it (an HTTP endpoint calls it before a
 * scrape). No secret of the configuration (auth_pass, scripts' arguments) is a value or
 * a label.
 *
 * <p>A Prometheus registry renders 10,000 real servers' series as meters slowly (each
 * meter costs some microseconds a scrape); {@link RealServerCollector} renders them in bulk
 * instead ({@link Builder#realServerMeters}{@code (false)}), as {@code lbctl run --http} does.
 */
public final class LbkitMetrics implements RuntimeListener {
  private static final Logger LOG = LoggerFactory.getLogger(LbkitMetrics.class);
  private final MeterRegistry registry;
  private final long refreshNanos;
  private final boolean perRealHistograms;
  private final boolean realServerMeters;
  private final boolean realServerDetail;
  private final AtomicLong generation = new AtomicLong();
  private final Object refreshLock = new Object();
  private volatile LoadBalancerRuntime runtime;
  private volatile TimerService clock;
  private volatile boolean refreshed;
  private volatile long refreshedAt;
  private VrrpMeters vrrp;
  private TrackMeters track;
  private DataplaneMeters dataplane;
  private CheckMeters checks;
  private Counter reloadsOk;
  private Counter reloadsFailed;
  private Counter repairs;
  private Counter readFailures;

  private LbkitMetrics(Builder b) {
    registry = b.registry;
    refreshNanos = b.refresh.toNanos();
    perRealHistograms = b.perRealHistograms;
    realServerMeters = b.realServerMeters;
    realServerDetail = b.realServerDetail;
  }

  /** Metrics in {@code registry}, re-read at most once a second. */
  public static LbkitMetrics create(MeterRegistry registry) {
    return builder(registry).build();
  }

  /** A builder for metrics in {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /** The registry the meters are in. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void bound(LoadBalancerRuntime rt) {
    if (runtime != null) {
      throw new IllegalStateException("these metrics already measure a runtime: use one LbkitMetrics per runtime");
    }
    runtime = rt;
    clock = rt.timers();
    vrrp = new VrrpMeters(registry, this::maybeRefresh);
    track = new TrackMeters(registry, this::maybeRefresh);
    dataplane = new DataplaneMeters(registry, this::maybeRefresh, () -> clock.nanoTime(), realServerMeters,
        realServerDetail);
    checks = new CheckMeters(registry, perRealHistograms, realServerDetail);
    reloadsOk = Counter.builder("lbkit.config.reloads").tag("result", "success")
        .description("reloads by result").register(registry);
    reloadsFailed = Counter.builder("lbkit.config.reloads").tag("result", "failure")
        .description("reloads by result").register(registry);
    Gauge.builder("lbkit.config.generation", generation, AtomicLong::get)
        .description("configurations applied since start (1 after start, +1 per successful reload)")
        .register(registry);
    repairs = Counter.builder("lbkit.resync.repairs")
        .description("dataplane changes the periodic resync put back (the table was changed behind lbkit)")
        .register(registry);
    readFailures = Counter.builder("lbkit.dataplane.read.failures")
        .description("dataplane table reads that failed (its meters keep their last values)").register(registry);
  }

  @Override
  public void applied(Changes changes) {
    if (generation.getAndIncrement() > 0) {
      reloadsOk.increment();
    }
    LoadBalancerRuntime rt = runtime;
    LoadBalancerSpec spec = rt == null ? null : rt.spec();
    if (spec == null) {
      return;
    }
    vrrp.sync(spec.vrrpInstances());
    track.sync(spec.scripts().keySet(), spec.trackFiles().keySet(), spec.vrrpInstances());
    checks.removeAll(dataplane.sync(spec.virtualServices()),
        spec.virtualServices().stream().map(VirtualService::key).collect(Collectors.toSet()));
    refreshed = false; // new meters: read at the next scrape
  }

  @Override
  public void reloadFailed(Exception error) {
    if (reloadsFailed != null) {
      reloadsFailed.increment();
    }
  }

  @Override
  public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
    if (vrrp != null) {
      vrrp.transition(instance, from, to);
    }
  }

  @Override
  public void healthChanged(HealthEvent event) {
    if (dataplane != null) {
      dataplane.changed(event.service(), event.real(), event.up());
    }
  }

  @Override
  public void reconciled(String cause, Reconciliation r) {
    if (runtime == null) {
      return;
    }
    Counter.builder("lbkit.reconcile.operations").tag("cause", cause)
        .description("dataplane changes applied, by cause (apply, health, resync)").register(registry)
        .increment(r.applied().size());
    Counter.builder("lbkit.reconcile.failures").tag("cause", cause)
        .description("dataplane changes the kernel refused, by cause").register(registry)
        .increment(r.failed().size());
    if ("resync".equals(cause)) {
      repairs.increment(r.applied().size());
    }
  }

  @Override
  public void checkAttempted(ServiceKey service, RealServerKey real, String type, CheckResult result,
      long durationNanos, long lagNanos) {
    if (checks != null) {
      checks.attempted(service, real, type, result.up(), durationNanos, lagNanos);
    }
  }

  /**
   * Re-reads the runtime now: VRRP status, counters and tracking (track files and links
   * are read then), the Director's view, the dataplane table.
   */
  public void refresh() {
    LoadBalancerRuntime rt = runtime;
    if (rt == null) {
      return;
    }
    synchronized (refreshLock) {
      refreshedAt = clock.nanoTime();
      refreshed = true;
      LoadBalancerStatus status = rt.status();
      vrrp.update(status.vrrp(), rt.vrrpCounters());
      track.update(rt.vrrpTracking());
      List<ServiceSnapshot> table;
      try {
        table = rt.dataplaneSnapshot();
      } catch (IOException | RuntimeException e) {
        readFailures.increment();
        LOG.debug("dataplane read failed: {}", e.toString());
        table = List.of();
      }
      dataplane.update(table, status.services());
    }
  }

  /** The dataplane cells, once bound to a runtime (else null): what {@link RealServerCollector} reads. */
  DataplaneMeters dataplane() {
    return dataplane;
  }

  boolean realServerMeters() {
    return realServerMeters;
  }

  boolean realServerDetail() {
    return realServerDetail;
  }

  void maybeRefresh() {
    if (!refreshed || clock.nanoTime() - refreshedAt >= refreshNanos) {
      refresh();
    }
  }

  /** Settings of {@link LbkitMetrics}. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Duration refresh = Duration.ofSeconds(1);
    private boolean perRealHistograms;
    private boolean realServerMeters = true;
    private boolean realServerDetail;

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * How old the values read from the runtime may be when a meter is read (default 1 s):
     * one scrape reads the runtime once, not once per meter.
     */
    public Builder refreshEvery(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("refresh interval must not be negative: " + d);
      }
      refresh = d;
      return this;
    }

    /**
     * Whether {@code lbkit_check_duration_seconds} is per real server (else, the default,
     * per virtual service and check type): 11 more series per real server per scrape.
     */
    public Builder checkDurationPerRealServer(boolean perReal) {
      perRealHistograms = perReal;
      return this;
    }

    /**
     * Whether every series of a real server is exported (default false: per real server
     * only node_exporter's {@code weight} (0 when down), {@code connections_active} and
     * {@code connections_inactive}; check results per service). With detail, 8 more series
     * per real server ({@code up}, {@code weight_configured}, {@code since_change},
     * connections and packet/byte counters) and check results per real server: 13 series
     * per real server instead of 3.
     */
    public Builder realServerDetail(boolean detail) {
      realServerDetail = detail;
      return this;
    }

    /**
     * Whether the per-real-server series are meters in the registry (default true). False
     * leaves them to a {@link RealServerCollector} registered with a Prometheus registry,
     * which renders them in bulk at a fraction of the cost per series; other registries
     * then do not see them. Check results per real server ({@link #realServerDetail}) stay
     * meters.
     */
    public Builder realServerMeters(boolean asMeters) {
      realServerMeters = asMeters;
      return this;
    }

    /** The metrics, to give to {@code LoadBalancerRuntime.Builder.listener}. */
    public LbkitMetrics build() {
      return new LbkitMetrics(this);
    }
  }
}

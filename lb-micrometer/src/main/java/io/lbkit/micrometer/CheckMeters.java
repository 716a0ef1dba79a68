package io.lbkit.micrometer;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The check meters: results by outcome per virtual service and check type (per real server
 * with {@link LbkitMetrics.Builder#realServerDetail}); a duration histogram with fixed
 * buckets per virtual service and check type (per real server only if asked: with 10,000
 * real servers that is 110,000 more series per scrape); one scheduler-lag histogram.
 * Registered at the first attempt.
 */
final class CheckMeters {
  /** The histogram's buckets: a check's duration is between a millisecond and its timeout. */
  static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
      Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};
  private final MeterRegistry registry;
  private final Map<Key, Results> results = new ConcurrentHashMap<>();
  private final Map<Key, Timer> durations = new ConcurrentHashMap<>();
  private final boolean perRealDurations;
  private final boolean perRealResults;
  private final Timer lag;

  /** Whose meters: a real server's, or (real null) a service's, for one check type. */
  record Key(ServiceKey service, RealServerKey real, String type) {}

  /** Attempts by outcome. */
  record Results(Counter up, Counter down) {}

  CheckMeters(MeterRegistry registry, boolean perRealDurations, boolean perRealResults) {
    this.registry = registry;
    this.perRealDurations = perRealDurations;
    this.perRealResults = perRealResults;
    this.lag = Timer.builder("lbkit.check.lag").serviceLevelObjectives(BUCKETS)
        .description("how much later than scheduled check attempts started").register(registry);
  }

  void attempted(ServiceKey service, RealServerKey real, String type, boolean up, long nanos, long lagNanos) {
    Key perService = new Key(service, null, type);
    Key perReal = perRealResults || perRealDurations ? new Key(service, real, type) : null;
    Results r = results.computeIfAbsent(perRealResults ? perReal : perService, this::results);
    (up ? r.up : r.down).increment();
    durations.computeIfAbsent(perRealDurations ? perReal : perService, this::timer)
        .record(nanos, TimeUnit.NANOSECONDS);
    lag.record(lagNanos, TimeUnit.NANOSECONDS);
  }

  /** Removes the meters of real servers and services no longer configured. */
  void removeAll(Collection<DataplaneMeters.Key> gone, Set<ServiceKey> services) {
    Set<DataplaneMeters.Key> g = Set.copyOf(gone);
    results.entrySet().removeIf(e -> remove(e.getKey(), g, services, e.getValue().up, e.getValue().down));
    durations.entrySet().removeIf(e -> remove(e.getKey(), g, services, e.getValue()));
  }

  private boolean remove(Key k, Set<DataplaneMeters.Key> gone, Set<ServiceKey> services, Meter... meters) {
    boolean remove = k.real() == null ? !services.contains(k.service())
        : gone.contains(new DataplaneMeters.Key(k.service(), k.real())) || !services.contains(k.service());
    if (remove) {
      for (Meter m : meters) {
        registry.remove(m);
      }
    }
    return remove;
  }

  private Tags tags(Key k) {
    Tags t = k.real() == null ? Labels.service(k.service()) : Labels.real(k.service(), k.real());
    return t.and("check", k.type());
  }

  private Results results(Key k) {
    Tags t = tags(k);
    return new Results(
        Counter.builder("lbkit.check.results").tags(t).tag("outcome", "up")
            .description("check attempts by outcome (retries included)").register(registry),
        Counter.builder("lbkit.check.results").tags(t).tag("outcome", "down")
            .description("check attempts by outcome (retries included)").register(registry));
  }

  private Timer timer(Key k) {
    return Timer.builder("lbkit.check.duration").tags(tags(k)).serviceLevelObjectives(BUCKETS)
        .description("check attempt duration").register(registry);
  }
}

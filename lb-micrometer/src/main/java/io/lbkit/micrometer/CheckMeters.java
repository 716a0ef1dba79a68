package io.lbkit.micrometer;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The check meters: per real server and check type, results by outcome; a duration
 * histogram with fixed buckets per virtual service and check type (per real server only
 * if asked: with 10,000 real servers that is 110,000 more series per scrape); one
 * scheduler-lag histogram. Registered at a server's first attempt.
 */
final class CheckMeters {
  /** The histogram's buckets: a check's duration is between a millisecond and its timeout. */
  static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
      Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};
  private final MeterRegistry registry;
  private final Map<Key, Set> sets = new ConcurrentHashMap<>();
  private final Map<Key, Timer> serviceDurations = new ConcurrentHashMap<>();
  private final boolean perReal;
  private final Timer lag;

  record Key(ServiceKey service, RealServerKey real, String type) {}

  /** One real server's meters for one check type. */
  record Set(Counter up, Counter down, Timer duration) {}

  CheckMeters(MeterRegistry registry, boolean perRealHistograms) {
    this.registry = registry;
    this.perReal = perRealHistograms;
    this.lag = Timer.builder("lbkit.check.lag").serviceLevelObjectives(BUCKETS)
        .description("how much later than scheduled check attempts started").register(registry);
  }

  void attempted(ServiceKey service, RealServerKey real, String type, boolean up, long nanos, long lagNanos) {
    Set s = sets.computeIfAbsent(new Key(service, real, type), this::register);
    (up ? s.up : s.down).increment();
    s.duration.record(nanos, TimeUnit.NANOSECONDS);
    lag.record(lagNanos, TimeUnit.NANOSECONDS);
  }

  /** Removes the meters of real servers no longer configured. */
  void removeAll(Collection<DataplaneMeters.Key> gone) {
    if (gone.isEmpty()) {
      return;
    }
    java.util.Set<DataplaneMeters.Key> g = java.util.Set.copyOf(gone);
    sets.entrySet().removeIf(e -> {
      if (!g.contains(new DataplaneMeters.Key(e.getKey().service(), e.getKey().real()))) {
        return false;
      }
      registry.remove(e.getValue().up);
      registry.remove(e.getValue().down);
      if (perReal) {
        registry.remove(e.getValue().duration);
      }
      return true;
    });
  }

  private Set register(Key k) {
    Tags t = Labels.real(k.service(), k.real()).and("check", k.type());
    Timer duration = perReal ? timer(t) : serviceDurations.computeIfAbsent(new Key(k.service(), null, k.type()),
        s -> timer(Labels.service(s.service()).and("check", s.type())));
    return new Set(
        Counter.builder("lbkit.check.results").tags(t).tag("outcome", "up")
            .description("check attempts by outcome (retries included)").register(registry),
        Counter.builder("lbkit.check.results").tags(t).tag("outcome", "down")
            .description("check attempts by outcome (retries included)").register(registry),
        duration);
  }

  private Timer timer(Tags t) {
    return Timer.builder("lbkit.check.duration").tags(t).serviceLevelObjectives(BUCKETS)
        .description("check attempt duration").register(registry);
  }
}

package io.lbkit.micrometer;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Prometheus registry's scrape in the Prometheus text format, written by client_java's
 * {@link PrometheusTextFormatWriter} family by family, each family's bytes kept: when a
 * family's snapshot is the very object written last time (a {@link RealServerCollector}
 * hands back its last snapshot when no value of a series changed: the weights, the
 * connections of idle services, every series of a quiet director), its bytes are copied
 * instead of written again (client_java's writer costs about a microsecond per line). The
 * text is byte for byte what the writer writes for the whole scrape in one call (snapshots
 * are immutable, the writer is a function of them); with two snapshots of one name (the
 * writer merges those) it writes the whole scrape in one call. Holds the last text's bytes
 * per family (about the size of a scrape). Writes are serialised: give it a buffer in
 * memory, not a slow socket.
 *
 * <pre>{@code
 * ScrapeText text = ScrapeText.of(prometheusMeterRegistry.getPrometheusRegistry());
 * text.write(buffer);   // as prometheusMeterRegistry.scrape(buffer), cheaper when series did not change
 * }</pre>
 *
 * Needs {@code io.prometheus:prometheus-metrics-exposition-textformats}, which
 * {@code micrometer-registry-prometheus} brings.
 */
public final class ScrapeText {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Map<String, Family> families = new HashMap<>();

  /** One family's last snapshot and the bytes the writer wrote for it. */
  private static final class Family extends java.io.ByteArrayOutputStream {
    MetricSnapshot snapshot;
    long seen;

    Family(int size) {
      super(size);
    }
  }

  private long round;

  private ScrapeText(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** The scrape text of this registry (e.g. a {@code PrometheusMeterRegistry}'s {@code getPrometheusRegistry()}). */
  public static ScrapeText of(PrometheusRegistry registry) {
    return new ScrapeText(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Scrapes the registry and writes its text to {@code out}, as
   * {@code PrometheusMeterRegistry.scrape(out)} does with {@code PrometheusConfig.DEFAULT}
   * (client_java's text format writer with its defaults: no {@code _created} series).
   *
   * @throws IOException if {@code out} does
   */
  public synchronized void write(OutputStream out) throws IOException {
    MetricSnapshots all = registry.scrape();
    long now = ++round;
    Set<String> names = new HashSet<>();
    for (MetricSnapshot s : all) {
      if (!names.add(s.getMetadata().getPrometheusName())) {
        families.clear(); // the writer merges snapshots of one name: leave it the whole scrape
        writer.write(out, all);
        return;
      }
    }
    for (MetricSnapshot s : all) {
      String name = s.getMetadata().getPrometheusName();
      Family f = families.get(name);
      if (f == null) {
        f = new Family(1024);
        families.put(name, f);
      }
      if (f.snapshot != s) {
        f.reset();
        writer.write(f, MetricSnapshots.of(s));
        f.snapshot = s;
      }
      f.seen = now;
      f.writeTo(out);
    }
    families.values().removeIf(f -> f.seen != now); // families gone from the registry
  }
}

package io.lbkit.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-real-server series of an {@link LbkitMetrics} built with
 * {@link LbkitMetrics.Builder#realServerMeters realServerMeters(false)}, as a Prometheus
 * client_java {@code MultiCollector}: register it with the Prometheus registry under a
 * Micrometer {@code PrometheusMeterRegistry} and its scrape has the same series, names,
 * help and labels as if they were meters, written by the same text format writer.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * LbkitMetrics metrics = LbkitMetrics.builder(registry).realServerMeters(false).build();
 * registry.getPrometheusRegistry().register(RealServerCollector.of(metrics));
 * }</pre>
 *
 * <p>Why: a meter costs a Prometheus registry some microseconds per scrape (labels checked
 * and converted, a family looked up, one snapshot per meter); this collector keeps each
 * real server's labels once, in the order the text is written in, and hands the writer one
 * snapshot per series name. Needs {@code io.prometheus:prometheus-metrics-model}, which
 * {@code micrometer-registry-prometheus} brings.
 */
public final class RealServerCollector implements MultiCollector {
  private final LbkitMetrics metrics;
  private volatile Rows rows = new Rows(-1, new Row[0]);

  /** One real server's cell and its labels. */
  private record Row(DataplaneMeters.Cell cell, Labels labels) {}

  /** The real servers sorted by labels, as of a version of the set. */
  private record Rows(int version, Row[] rows) {}

  private RealServerCollector(LbkitMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * The collector of these metrics' real servers.
   *
   * @throws IllegalArgumentException if the metrics register them as meters (they would be there twice)
   */
  public static RealServerCollector of(LbkitMetrics metrics) {
    if (metrics.realServerMeters()) {
      throw new IllegalArgumentException("these metrics register real servers as meters: build them with "
          + "LbkitMetrics.builder(registry).realServerMeters(false) to collect them with a RealServerCollector");
    }
    return new RealServerCollector(metrics);
  }

  @Override
  public MetricSnapshots collect() {
    DataplaneMeters d = metrics.dataplane();
    if (d == null) {
      return new MetricSnapshots(List.of());
    }
    metrics.maybeRefresh();
    Row[] all = rows(d);
    boolean detail = metrics.realServerDetail();
    List<MetricSnapshot> out = new ArrayList<>();
    for (RealSeries s : RealSeries.values()) {
      if (!s.shown(detail)) {
        continue;
      }
      if (s.kind == RealSeries.Kind.COUNTER) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(prometheusName(s)).help(s.description);
        for (Row r : all) {
          b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(r.labels)
              .value(s.value.applyAsDouble(r.cell)).build());
        }
        out.add(b.build());
      } else {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(prometheusName(s)).help(s.description);
        for (Row r : all) {
          double v = s.kind == RealSeries.Kind.SECONDS ? d.sinceChange(r.cell) : s.value.applyAsDouble(r.cell);
          b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(r.labels).value(v).build());
        }
        out.add(b.build());
      }
    }
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    for (RealSeries s : RealSeries.values()) {
      if (s.shown(metrics.realServerDetail())) {
        names.add(prometheusName(s));
      }
    }
    return names;
  }

  /** Micrometer's Prometheus name (a counter's without {@code _total}, which the writer adds). */
  static String prometheusName(RealSeries s) {
    String n = s.name.replace('.', '_');
    return s.kind == RealSeries.Kind.SECONDS ? n + "_seconds" : n;
  }

  /**
   * The rows in label order (the order client_java sorts data points in, so its sort of an
   * already sorted list is one pass), rebuilt when real servers come or go.
   */
  private Row[] rows(DataplaneMeters d) {
    Rows r = rows;
    int version = d.version();
    if (r.version == version) {
      return r.rows;
    }
    List<Row> list = new ArrayList<>();
    for (DataplaneMeters.Service s : d.services()) {
      for (DataplaneMeters.Cell c : s.reals.values()) {
        list.add(new Row(c, labels(io.lbkit.micrometer.Labels.real(c.key.service(), c.key.real()))));
      }
    }
    Row[] sorted = list.toArray(Row[]::new);
    java.util.Arrays.sort(sorted, (a, b) -> a.labels.compareTo(b.labels));
    rows = new Rows(version, sorted);
    return sorted;
  }

  private static Labels labels(Tags tags) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Tag t : tags) {
      names.add(t.getKey());
      values.add(t.getValue());
    }
    return Labels.of(names, values);
  }
}

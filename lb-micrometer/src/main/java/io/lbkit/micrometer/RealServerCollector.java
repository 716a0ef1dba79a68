package io.lbkit.micrometer;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

  /** A series' last snapshot, its rows, values and data points (by row). */
  private record Last(Row[] rows, double[] values, DataPointSnapshot[] points, MetricSnapshot snapshot) {}

  /** By {@link RealSeries#ordinal}. */
  private final AtomicReferenceArray<Last> last = new AtomicReferenceArray<>(RealSeries.values().length);

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
      if (s.shown(detail)) {
        out.add(snapshot(s, all, d));
      }
    }
    return new MetricSnapshots(out);
  }

  /**
   * The series' snapshot: the last one if neither the real servers nor a value changed
   * (weights seldom do, nor an idle service's connections); else a new one that reuses the
   * data points whose value is the same.
   */
  private MetricSnapshot snapshot(RealSeries s, Row[] all, DataplaneMeters d) {
    double[] values = new double[all.length];
    for (int i = 0; i < all.length; i++) {
      values[i] = s.kind == RealSeries.Kind.SECONDS ? d.sinceChange(all[i].cell) : s.value.applyAsDouble(all[i].cell);
    }
    Last l = last.get(s.ordinal());
    boolean sameRows = l != null && l.rows == all;
    if (sameRows && Arrays.equals(l.values, values)) {
      return l.snapshot;
    }
    DataPointSnapshot[] points = new DataPointSnapshot[all.length];
    MetricSnapshot snapshot;
    if (s.kind == RealSeries.Kind.COUNTER) {
      CounterSnapshot.Builder b = CounterSnapshot.builder().name(prometheusName(s)).help(s.description);
      for (int i = 0; i < all.length; i++) {
        var p = sameRows && same(l.values[i], values[i]) ? (CounterSnapshot.CounterDataPointSnapshot) l.points[i]
            : CounterSnapshot.CounterDataPointSnapshot.builder().labels(all[i].labels).value(values[i]).build();
        points[i] = p;
        b.dataPoint(p);
      }
      snapshot = b.build();
    } else {
      GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(prometheusName(s)).help(s.description);
      for (int i = 0; i < all.length; i++) {
        var p = sameRows && same(l.values[i], values[i]) ? (GaugeSnapshot.GaugeDataPointSnapshot) l.points[i]
            : GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(all[i].labels).value(values[i]).build();
        points[i] = p;
        b.dataPoint(p);
      }
      snapshot = b.build();
    }
    last.set(s.ordinal(), new Last(all, values, points, snapshot));
    return snapshot;
  }

  private static boolean same(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
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
    Arrays.sort(sorted, (a, b) -> a.labels.compareTo(b.labels));
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

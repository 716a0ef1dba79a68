package io.lbkit.bench.metrics;

import io.lbkit.micrometer.LbkitMetrics;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code /metrics} scrape as {@code lbctl run --http} does it ({@code LbkitMetrics.refresh()},
 * then the Prometheus registry's text) of a runtime with {@code reals} real servers in
 * services of 100 ({@link ScrapeFixture}: on {@code FakeIpvs}, so the table read is the
 * fake's, not netlink's), each with one check type that has reported once (so every check
 * meter exists). Run with {@code -prof gc} for the allocation per scrape; the times are
 * wall time, which a loaded machine inflates: {@link ScrapeCost} measures CPU time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ScrapeBenchmark {
  /** How many real servers. */
  @Param({"1000", "10000"})
  public int reals;

  /** How the metrics are made ({@link ScrapeFixture}): {@code lbctl}, {@code lbctl-detail}, {@code meters}. */
  @Param({"lbctl", "meters"})
  public String mode;

  private ScrapeFixture fixture;

  /** Starts the runtime on fakes with the metrics listening. */
  @Setup(Level.Trial)
  public void setup() throws IOException {
    fixture = new ScrapeFixture(reals, mode);
  }

  /** Stops the runtime. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }

  /** lbkit's share of a scrape: the runtime read once (status, VRRP counters, the table) into the meters' cells. */
  @Benchmark
  public LbkitMetrics refreshOnly() {
    fixture.metrics.refresh();
    return fixture.metrics;
  }

  /** One scrape: the runtime read once, every meter written as Prometheus text. */
  @Benchmark
  public int scrape() throws IOException {
    return fixture.scrape();
  }
}

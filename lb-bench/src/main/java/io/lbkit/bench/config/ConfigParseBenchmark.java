package io.lbkit.bench.config;

import io.lbkit.config.keepalived.KeepalivedConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state parse time of a ~SEQ-generated config with {@code instances} vrrp_instance
 * blocks (the text is built in memory; the comparison with keepalived is the script's job).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class ConfigParseBenchmark {
  /** How many instances (a multiple of 254). */
  @Param({"2540", "65024"})
  public int instances;

  private String text;

  /** Builds the text. */
  @org.openjdk.jmh.annotations.Setup
  public void setup() {
    text = BigConfig.text(instances / 254);
  }

  /** One parse. */
  @Benchmark
  public KeepalivedConfig parse() {
    return KeepalivedConfig.parse(text, "big.conf", Path.of("."), KeepalivedConfig.Options.defaults()
        .withConfigId("bench").withTimeout(java.time.Duration.ofMinutes(10)));
  }
}

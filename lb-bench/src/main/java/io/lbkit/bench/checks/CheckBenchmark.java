package io.lbkit.bench.checks;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.net.Inet;
import io.lbkit.checks.HealthMonitor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * One health check of one real server on 127.0.0.1, with no observer or listener attached
 * (what a monitor costs with metrics off): a {@link HealthMonitor} on real time (timers on
 * the check thread) checks the backend every millisecond, and an operation is waiting for
 * the next attempt to start. The backend is {@code scripts/backends.c} in its own process
 * when {@code -Dbackends=PATH} names it (so serving allocates nothing in this JVM; the
 * script builds it), else an in-JVM selector server. Run with {@code -prof gc}: JMH counts
 * every thread's allocation, so the check thread's is in the per-check figure (with JMH's
 * own and other background threads' spread over the operations). Each iteration also
 * prints {@code check-thread B/attempt: N}: what the check thread alone allocated per
 * attempt in that iteration (ThreadMXBean), a figure without the background.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckBenchmark {
  /** The check: {@code HTTP_GET} (GET /, status 200) or {@code TCP_CHECK} (connect). */
  @Param({"HTTP_GET", "TCP_CHECK"})
  public String type;

  private Servers backend;
  private HealthMonitor monitor;
  private long seen;
  private long checkThread;
  private long bytesAtStart;
  private long attemptsAtStart;

  /** Starts the backend and the monitor, and waits for the first verdict. */
  @Setup(Level.Trial)
  public void setup() throws Exception {
    String binary = System.getProperty("backends", "");
    backend = binary.isEmpty() ? new Backends(1) : new NativeBackends(Path.of(binary), 1, 3600);
    InetSocketAddress a = backend.addresses().get(0);
    RealServerKey real = new RealServerKey(a.getAddress(), a.getPort());
    ServiceKey svc = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);
    CheckTiming timing = CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(1)).retry(0, Duration.ZERO);
    CheckSpec check = type.equals("HTTP_GET") ? HttpCheck.get("/").timing(timing) : new TcpCheck(timing, CheckTarget.REAL_SERVER);
    monitor = HealthMonitor.builder().delayLoop(Duration.ofMillis(1)).build();
    monitor.watch(HealthMonitor.Backend.of(svc, real), List.of(check));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Boolean.TRUE.equals(monitor.isUp(svc, real))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(type + " of " + a + " not up within 10 s");
      }
      Thread.sleep(10);
    }
    seen = monitor.attempts();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("lbkit-checks")) {
        checkThread = t.getId();
      }
    }
    if (checkThread == 0) {
      throw new IllegalStateException("no lbkit-checks thread");
    }
  }

  private static long allocated(long thread) {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(thread);
  }

  /** Notes the check thread's allocation so far. */
  @Setup(Level.Iteration)
  public void iterationStart() {
    bytesAtStart = allocated(checkThread);
    attemptsAtStart = monitor.attempts();
  }

  /** Prints the check thread's allocation per attempt in this iteration. */
  @TearDown(Level.Iteration)
  public void iterationEnd() {
    long bytes = allocated(checkThread) - bytesAtStart;
    long attempts = monitor.attempts() - attemptsAtStart;
    System.out.printf("check-thread B/attempt: %.1f (%d attempts)%n", attempts == 0 ? 0.0 : (double) bytes / attempts,
        attempts);
  }

  /** Checks the backend stayed up, stops the monitor and the backend. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    InetSocketAddress a = backend.addresses().get(0);
    Boolean up = monitor.isUp(ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80),
        new RealServerKey(a.getAddress(), a.getPort()));
    monitor.close();
    backend.close();
    if (!Boolean.TRUE.equals(up)) {
      throw new IllegalStateException(type + " went down during the benchmark");
    }
  }

  /** Waits for the next check attempt to start (bounded: 10 s). */
  @Benchmark
  public long oneCheck() {
    long deadline = System.nanoTime() + 10_000_000_000L; // a loaded host can starve the check thread for a second
    while (monitor.attempts() <= seen) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no check attempt within 10 s");
      }
      LockSupport.parkNanos(20_000);
    }
    return ++seen; // one attempt per operation, even when the check thread ran ahead
  }
}

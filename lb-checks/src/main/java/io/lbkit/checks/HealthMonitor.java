package io.lbkit.checks;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.checks.internal.BlockingRunner;
import io.lbkit.checks.internal.CheckScheduler;
import io.lbkit.checks.internal.CheckThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Health-checks real servers and emits a {@link HealthEvent} to its listeners (the
 * Director's {@code onHealth}, your own) each time a server goes up or down or its
 * dynamic weight changes. Network checks run non-blocking on one thread (or
 * {@link Builder#checkThreads several}, each with its share of the real servers); programs,
 * pings and file reads on a small bounded pool. All timing runs on the injected
 * {@link TimerService}.
 *
 * <pre>{@code
 * HealthMonitor monitor = HealthMonitor.builder()   // or builder(clock) to inject time
 *     .listener(director::onHealth)
 *     .build();
 * monitor.watch(HealthMonitor.Backend.of(service, real).delayLoop(Duration.ofSeconds(6)),
 *     List.of(HttpCheck.get("/health").status(200)));
 * }</pre>
 *
 * <p>Semantics are keepalived's (see {@link io.lbkit.checks package docs}); thread-safe.
 */
public final class HealthMonitor implements AutoCloseable {
  private final BlockingRunner blocking;
  private final CheckThreads threads;
  private final List<Consumer<HealthEvent>> listeners = new CopyOnWriteArrayList<>();

  /**
   * A real server to check, with the virtual-server settings keepalived applies to it.
   *
   * @param service the virtual service
   * @param real the real server
   * @param weight its configured weight (FILE_CHECK adds to it)
   * @param delayLoop the virtual server's delay_loop, or null for the monitor's default
   * @param alpha keepalived's alpha: start down until the first successful check
   */
  public record Backend(ServiceKey service, RealServerKey real, int weight, Duration delayLoop, boolean alpha) {
    /** Validates. */
    public Backend {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(real, "real");
      if (weight < 0 || weight > 65535) {
        throw new IllegalArgumentException("real server weight out of range 0-65535: " + weight);
      }
      if (delayLoop != null && (delayLoop.isNegative() || delayLoop.isZero())) {
        throw new IllegalArgumentException("delay_loop must be positive: " + delayLoop);
      }
    }

    /** Weight 1, the monitor's delay_loop, no alpha. */
    public static Backend of(ServiceKey service, RealServerKey real) {
      return new Backend(service, real, 1, null, false);
    }

    /** With a configured weight. */
    public Backend weight(int w) {
      return new Backend(service, real, w, delayLoop, alpha);
    }

    /** With a delay_loop. */
    public Backend delayLoop(Duration d) {
      return new Backend(service, real, weight, d, alpha);
    }

    /** With alpha. */
    public Backend alpha(boolean a) {
      return new Backend(service, real, weight, delayLoop, a);
    }
  }

  private HealthMonitor(Builder b) {
    Map<String, Checker> custom = new HashMap<>();
    if (b.loadPlugins) {
      for (Checker c : ServiceLoader.load(Checker.class)) {
        custom.put(c.type(), c);
      }
    }
    for (Checker c : b.checkers) {
      custom.put(c.type(), c);
    }
    listeners.addAll(b.listeners);
    blocking = new BlockingRunner(b.scriptThreads, b.threadSetup);
    try {
      threads = new CheckThreads(b.checkThreads, b.closeWithReset, b.threadSetup, blocking, custom, b.timer,
          new CheckScheduler.Options(b.maxConcurrent, b.jitter, b.fastInterval, b.delayLoop), b.random,
          this::publish, b.observer);
    } catch (RuntimeException e) {
      blocking.close();
      throw e;
    }
  }

  /**
   * A builder with keepalived's defaults, timing on {@code timer} (a test's manual
   * clock, or real time on an executor you own).
   */
  public static Builder builder(TimerService timer) {
    return new Builder(Objects.requireNonNull(timer, "timer"));
  }

  /**
   * A builder with keepalived's defaults on real time, whose timers run on the check
   * thread itself: each attempt is launched, run and judged on that one thread with no
   * hand-off (the cheapest way to check thousands of backends). Use
   * {@link #builder(TimerService)} to inject time in tests.
   */
  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * Starts checking {@code backend}: it is up while every one of {@code checks} is.
   *
   * @throws IllegalArgumentException if it is already watched, a check names an unknown
   *     custom checker or cannot be set up (e.g. an unreadable CA file), with the reason
   */
  public void watch(Backend backend, List<CheckSpec> checks) {
    int t = threads.of(backend.service(), backend.real());
    List<CheckScheduler.Bound> bound = new ArrayList<>();
    for (CheckSpec c : checks) {
      bound.add(new CheckScheduler.Bound(c, threads.probes(t).bind(c, backend.real(), backend.weight())));
    }
    threads.scheduler(t).add(backend.service(), backend.real(), backend.delayLoop(), backend.alpha(), bound);
  }

  /** Stops checking a real server; false if it was not watched. */
  public boolean unwatch(ServiceKey service, RealServerKey real) {
    return threads.scheduler(service, real).remove(service, real);
  }

  /**
   * The server's current verdict, or null if it is not watched. Without alpha a server
   * counts as up before its first check (keepalived's rule); {@link #status} tells
   * whether it has been checked yet.
   */
  public Boolean isUp(ServiceKey service, RealServerKey real) {
    return threads.scheduler(service, real).isUp(service, real);
  }

  /**
   * Where a watched server stands.
   *
   * @param up its verdict (what {@link #isUp} says)
   * @param weight the weight its checks set (misc_dynamic, FILE_CHECK), or -1 for none
   * @param checked whether every one of its checks has finished at least one round
   *     (retries included); false before that, when {@code up} is only the assumption
   *     of keepalived's rules (up without alpha, down with it)
   */
  public record Status(boolean up, int weight, boolean checked) {}

  /** The server's {@link Status}, or null if it is not watched. */
  public Status status(ServiceKey service, RealServerKey real) {
    int[] s = threads.scheduler(service, real).state(service, real);
    return s == null ? null : new Status(s[0] == 1, s[1], s[2] == 1);
  }

  /**
   * Adds a listener; it runs on a check thread and should return quickly. Listeners get one
   * event at a time, in order for each real server, whatever the number of check threads.
   */
  public void addListener(Consumer<HealthEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Check attempts started since creation (for monitoring and benchmarks). */
  public long attempts() {
    return threads.attempts();
  }

  /**
   * How late the check threads ran their due timers (a check due at t launched at t + lag;
   * connect timeouts count too), in 0.1 ms steps below 100 ms and 10 ms steps above.
   *
   * @param count timers run in the period
   * @param p50 the median lag
   * @param p99 the 99th percentile
   * @param max the largest
   */
  public record TimerLag(long count, Duration p50, Duration p99, Duration max) {}

  /**
   * The check threads' {@link TimerLag} (all together) since start or the last reset (for monitoring
   * and benchmarks: a p99 of tens of milliseconds means the thread is falling behind).
   * With {@link #builder(TimerService)} the timers are not the check thread's and only
   * its connect timeouts count.
   *
   * @param reset start a new period after this one
   */
  public TimerLag timerLag(boolean reset) {
    long[] s = threads.lag(reset);
    return new TimerLag(s[0], Duration.ofNanos(s[1]), Duration.ofNanos(s[2]), Duration.ofNanos(s[3]));
  }

  private void publish(HealthEvent e) {
    for (Consumer<HealthEvent> l : listeners) {
      l.accept(e);
    }
  }

  /** Stops every check and the check threads. */
  @Override
  public void close() {
    threads.close();
    blocking.close();
  }

  /** Settings of a {@link HealthMonitor}. */
  public static final class Builder {
    private final TimerService timer;
    private int maxConcurrent = 2048;
    private double jitter;
    private Duration fastInterval;
    private Duration delayLoop = Duration.ofSeconds(60);
    private int scriptThreads = 8;
    private int checkThreads = 1;
    private Runnable threadSetup;
    private boolean loadPlugins = true;
    private boolean closeWithReset = true;
    private RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private final List<Checker> checkers = new ArrayList<>();
    private final List<Consumer<HealthEvent>> listeners = new ArrayList<>();
    private CheckObserver observer;

    private Builder(TimerService timer) {
      this.timer = timer;
    }

    /** At most this many attempts in flight; the rest queue (default 2048). */
    public Builder maxConcurrent(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrent must be at least 1: " + n);
      }
      this.maxConcurrent = n;
      return this;
    }

    /** Random extra delay in [0, fraction × interval) on the first and every later round (default 0). */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("jitter must be within 0..1: " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /** Interval between rounds while a rise/fall verdict is pending (default: the normal interval). */
    public Builder fastInterval(Duration d) {
      this.fastInterval = d;
      return this;
    }

    /** delay_loop for backends that do not set one (keepalived's default 60 s). */
    public Builder delayLoop(Duration d) {
      this.delayLoop = Objects.requireNonNull(d, "delayLoop");
      return this;
    }

    /**
     * Code run first on each thread that opens check sockets or starts check programs
     * (the check loop, and the threads of MISC_CHECK, PING_CHECK and FILE_CHECK), e.g. to
     * move it into a network namespace with lb-netlink's {@code NetworkNamespaces.enter},
     * so the checks leave from there. When it throws on the check loop, {@link #build()}
     * throws; on a program thread, that check fails saying why.
     */
    public Builder threadSetup(Runnable setup) {
      this.threadSetup = Objects.requireNonNull(setup, "setup");
      return this;
    }

    /**
     * Threads that run the network checks (TCP, HTTP, SSL, SMTP, DNS, UDP), 1 to 64
     * (default 1, as keepalived's one checker process). Each is one selector loop that opens,
     * talks over and closes the check connections of its share of the real servers (a hash of
     * service and real server picks the thread; a real server's checks all run on it); with
     * {@link #builder()} it also runs their timers. A thread needs about 85-100 us of CPU per
     * HTTP_GET on loopback, three quarters of it the kernel's TCP work (see docs/performance.md,
     * the HTTP_GET check scheduler row): 10,000-12,000 checks/s per core. So one thread carries 10,000 real
     * servers at delay_loop 6 s (1,667 checks/s) easily, and 100,000 (16,667 checks/s, about
     * 1.5 cores) need 2 threads and 2 cores the checks can have. More threads than free cores
     * gain nothing. {@link #maxConcurrent} is split evenly between the threads; listeners are
     * still called one event at a time.
     */
    public Builder checkThreads(int n) {
      if (n < 1 || n > CheckThreads.MAX) {
        throw new IllegalArgumentException("checkThreads must be within 1-" + CheckThreads.MAX + ": " + n);
      }
      this.checkThreads = n;
      return this;
    }

    /** Threads for MISC_CHECK programs, PING_CHECK and FILE_CHECK (default 8). */
    public Builder scriptThreads(int n) {
      this.scriptThreads = n;
      return this;
    }

    /**
     * How a TCP, HTTP, SSL or SMTP check closes its connection once it has its verdict.
     *
     * <p>{@code true} (the default): with a reset (SO_LINGER 0). Neither side keeps the
     * connection in TIME_WAIT, there is no FIN exchange, and the close costs the checker
     * one close(2). HAProxy does the same for its checks unless the server has already
     * closed its side (it drains to end-of-file first, then closes with a FIN and leaves the
     * TIME_WAIT on the server); lbkit resets in that case too, which spares the server its
     * TIME_WAIT and the checker a read. Whoever sends the first FIN
     * keeps a TIME_WAIT socket for 60 s: with TCP_CHECK (the checker closes right after
     * connecting), or an HTTP check that has its answer before the server's FIN, that is
     * the director — at 10,000 checks/s about 600,000 TIME_WAIT sockets a minute, past
     * the kernel's {@code tcp_max_tw_buckets} cap (131,072 on the benchmark machine: full in
     * 13 s, after which the kernel logs "time wait bucket table overflow" and drops the
     * TIME_WAIT protection) and near ephemeral port exhaustion towards a busy backend. Old
     * keepalived releases reset their check sockets too (SO_LINGER 0, "to free the tcp
     * port"). The cost: a server that has not closed its side yet reads
     * ECONNRESET instead of end-of-file, and some log that ("connection reset by peer");
     * a server that answered and closed first (HTTP/1.0, SMTP after QUIT) does not notice.
     *
     * <p>{@code false}: a FIN after a good answer, as current keepalived does (SO_LINGER 5 s:
     * a normal close whose close(2) may wait up to 5 s for the FIN to be acknowledged; lbkit
     * never waits); the one who closed first keeps the TIME_WAIT. A failed check is reset
     * either way, so that failing checks leave no TIME_WAIT behind.
     */
    public Builder closeWithReset(boolean reset) {
      this.closeWithReset = reset;
      return this;
    }

    /** A custom checker by API (overrides one found by ServiceLoader of the same type). */
    public Builder checker(Checker c) {
      checkers.add(Objects.requireNonNull(c, "checker"));
      return this;
    }

    /** Whether to load checkers with {@link ServiceLoader} (default true). */
    public Builder loadPlugins(boolean load) {
      this.loadPlugins = load;
      return this;
    }

    /** Told of every attempt's outcome, duration and lag (for metrics; none by default, then nothing is timed). */
    public Builder observer(CheckObserver o) {
      observer = Objects.requireNonNull(o, "observer");
      return this;
    }

    /** A listener, e.g. {@code director::onHealth}. */
    public Builder listener(Consumer<HealthEvent> l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** The random source for warmup and jitter (tests pass a seeded one). */
    public Builder random(RandomGenerator r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    /** Starts the monitor's threads; close it to stop them. */
    public HealthMonitor build() {
      return new HealthMonitor(this);
    }
  }
}

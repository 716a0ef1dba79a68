package io.lbkit.checks.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.checks.CheckObserver;
import io.lbkit.checks.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every check on an injected {@link TimerService} with keepalived's rules
 * (delay_loop, connect_timeout inside the probe, retry + delay_before_retry, warmup,
 * alpha, one success = up) plus rise/fall, a faster interval while a verdict is
 * pending, jitter and the global {@link Gate}. A real server is up when all its checks
 * are; each change of (up, weight) is emitted once as a {@link HealthEvent} and logged once.
 *
 * <p>Thread-safe: one lock guards the state; events are delivered outside it, in order.
 */
public final class CheckScheduler {
  static final Logger LOG = LoggerFactory.getLogger("io.lbkit.checks");

  /** Scheduler settings: see {@code HealthMonitor.Builder}. */
  public record Options(int maxConcurrent, double jitter, Duration fastInterval, Duration defaultDelayLoop) {
    /** Validates. */
    public Options {
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException("max concurrent checks must be at least 1: " + maxConcurrent);
      }
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be within 0..1: " + jitter);
      }
      if (fastInterval != null && (fastInterval.isNegative() || fastInterval.isZero())) {
        throw new IllegalArgumentException("fast interval must be positive: " + fastInterval);
      }
      if (defaultDelayLoop.isNegative() || defaultDelayLoop.isZero()) {
        throw new IllegalArgumentException("delay_loop must be positive: " + defaultDelayLoop);
      }
    }
  }

  /** One check of a backend, with its probe. */
  public record Bound(CheckSpec spec, Probe probe) {}

  /**
   * The state lock. Not a monitor: taken by other threads (watch, remove, reads), a monitor is inflated for good
   * (lbctl run turns monitor deflation off), and C1-compiled code enters an inflated monitor through a call into
   * the VM, twice per attempt (perf, 1,000 backends); a ReentrantLock stays a compare-and-set in Java.
   */
  final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  final TimerService timer;
  final Options options;
  final RandomGenerator random;
  final Gate gate;
  private final Consumer<HealthEvent> sink;
  private final ConcurrentLinkedQueue<HealthEvent> outbox = new ConcurrentLinkedQueue<>();
  private final Object deliverLock;
  private final Map<List<Object>, Backend> backends = new HashMap<>();
  private long attempts;
  final CheckObserver observer;

  /** A scheduler emitting to {@code sink}. */
  public CheckScheduler(TimerService timer, Options options, RandomGenerator random, Consumer<HealthEvent> sink) {
    this(timer, options, random, sink, null);
  }

  /** A scheduler emitting to {@code sink}, telling {@code observer} (may be null) of each attempt. */
  public CheckScheduler(TimerService timer, Options options, RandomGenerator random, Consumer<HealthEvent> sink,
      CheckObserver observer) {
    this(timer, options, random, sink, observer, new Object());
  }

  /**
   * As above, delivering under {@code deliverLock}: schedulers that share it (one per check
   * thread of a monitor) call the sink one event at a time, as a single scheduler does.
   */
  public CheckScheduler(TimerService timer, Options options, RandomGenerator random, Consumer<HealthEvent> sink,
      CheckObserver observer, Object deliverLock) {
    this.deliverLock = java.util.Objects.requireNonNull(deliverLock, "deliverLock");
    this.observer = observer;
    this.timer = timer;
    this.options = options;
    this.random = random;
    this.sink = sink;
    this.gate = new Gate(options.maxConcurrent());
  }

  /**
   * Starts checking a real server. Without alpha it is assumed up (no event); with
   * alpha a down event ("alpha: not checked yet") is emitted at once.
   */
  public void add(ServiceKey service, RealServerKey real, Duration delayLoop, boolean alpha, List<Bound> checks) {
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("real server " + real + " of " + service + " needs at least one check");
    }
    lock.lock();
    try {
      List<Object> k = List.of(service, real);
      if (backends.containsKey(k)) {
        throw new IllegalArgumentException("real server " + real + " of " + service + " is already checked");
      }
      Backend b = new Backend(this, service, real, alpha);
      backends.put(k, b);
      for (Bound c : checks) {
        b.loops.add(new CheckLoop(this, b, c.spec(), c.probe(), delayLoop == null ? options.defaultDelayLoop()
            : delayLoop, alpha));
      }
      if (alpha) {
        b.publishedUp = false;
        emit(new HealthEvent(service, real, false, -1, "alpha: not checked yet"));
      }
      b.loops.forEach(CheckLoop::start);
    } finally {
      lock.unlock();
    }
    deliver();
  }

  /** Stops checking a real server; returns false if it was not checked. */
  public boolean remove(ServiceKey service, RealServerKey real) {
    lock.lock();
    try {
      Backend b = backends.remove(List.of(service, real));
      if (b == null) {
        return false;
      }
      b.loops.forEach(CheckLoop::stop);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the server is up now (its last published state), or null if not checked. */
  public Boolean isUp(ServiceKey service, RealServerKey real) {
    lock.lock();
    try {
      Backend b = backends.get(List.of(service, real));
      return b == null ? null : b.publishedUp;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The server's {up, weight, checked} — checked once every one of its checks has
   * finished a round (retries included) — or null if not checked.
   */
  public int[] state(ServiceKey service, RealServerKey real) {
    lock.lock();
    try {
      Backend b = backends.get(List.of(service, real));
      if (b == null) {
        return null;
      }
      boolean checked = true;
      for (CheckLoop l : b.loops) {
        checked &= l.hasRun();
      }
      return new int[] {b.publishedUp ? 1 : 0, b.publishedWeight, checked ? 1 : 0};
    } finally {
      lock.unlock();
    }
  }

  /** Stops every check. */
  public void removeAll() {
    lock.lock();
    try {
      backends.values().forEach(b -> b.loops.forEach(CheckLoop::stop));
      backends.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Attempts started so far (a counter for benchmarks). */
  public long attempts() {
    lock.lock();
    try {
      return attempts;
    } finally {
      lock.unlock();
    }
  }

  /** Attempts in flight and waiting for the cap: {inFlight, waiting, peak}. */
  public int[] gateState() {
    lock.lock();
    try {
      return new int[] {gate.inFlight(), gate.waiting(), gate.peak()};
    } finally {
      lock.unlock();
    }
  }

  void countAttempt() {
    attempts++;
  }

  void emit(HealthEvent e) {
    outbox.add(e);
  }

  /** Delivers queued events, outside the state lock, in order. */
  void deliver() {
    if (outbox.isEmpty()) {
      return;
    }
    synchronized (deliverLock) {
      HealthEvent e;
      while ((e = outbox.poll()) != null) {
        try {
          sink.accept(e);
        } catch (RuntimeException ex) {
          LOG.error("health listener failed on {}", e, ex);
        }
      }
    }
  }

  /** A real server and the combined verdict of its checks. */
  static final class Backend {
    final CheckScheduler s;
    final ServiceKey service;
    final RealServerKey real;
    final List<CheckLoop> loops = new ArrayList<>();
    boolean publishedUp = true;
    int publishedWeight = -1;

    Backend(CheckScheduler s, ServiceKey service, RealServerKey real, boolean alpha) {
      this.s = s;
      this.service = service;
      this.real = real;
    }

    /** Recomputes after {@code cause} changed; emits and logs if the verdict changed. */
    void update(CheckLoop cause, CheckResult why) {
      boolean up = true;
      int weight = -1;
      for (int i = 0; i < loops.size(); i++) { // indexed: no iterator per attempt under C1
        CheckLoop l = loops.get(i);
        up &= l.up;
        if (l.weight >= 0) {
          weight = weight < 0 ? l.weight : Math.min(weight, l.weight);
        }
      }
      if (up == publishedUp && weight == publishedWeight) {
        return;
      }
      boolean flipped = up != publishedUp;
      publishedUp = up;
      publishedWeight = weight;
      String reason = cause.spec.type() + ": " + why.reason();
      if (flipped) {
        LOG.info("{} real server {} is {} ({})", service, real, up ? "UP" : "DOWN", reason);
      } else {
        LOG.info("{} real server {} weight now {} ({})", service, real, weight, reason);
      }
      s.emit(new HealthEvent(service, real, up, weight, reason));
    }
  }
}

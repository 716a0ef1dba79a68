package io.lbkit.checks.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.TimerService;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.checks.CheckObserver;
import io.lbkit.checks.Checker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A monitor's check threads: N {@link NioEngine}s, each with its own {@link Probes} and
 * {@link CheckScheduler} (its own state lock), and every real server on exactly one of them,
 * chosen by a hash of (service, real server). A real server's checks, timers and verdicts
 * therefore stay on one thread, as with a single thread; what the threads share is the
 * program pool and the delivery of events (one at a time, under one lock). With one
 * thread it is the single engine of old, named {@code lbkit-checks}; with more they are
 * {@code lbkit-checks-0} ... {@code lbkit-checks-(N-1)}.
 */
public final class CheckThreads {
  /** The most check threads a monitor may have. */
  public static final int MAX = 64;

  private final NioEngine[] engines;
  private final Probes[] probes;
  private final CheckScheduler[] schedulers;

  /**
   * Starts {@code n} engines (each running {@code setup} first when not null), schedulers on
   * {@code timer} (null: each on its own engine's real-time timers) with {@code options}
   * whose cap {@code maxConcurrent} is split evenly between the threads (rounded up).
   */
  public CheckThreads(int n, boolean closeWithReset, Runnable setup, BlockingRunner blocking,
      Map<String, Checker> custom, TimerService timer, CheckScheduler.Options options, RandomGenerator random,
      Consumer<HealthEvent> sink, CheckObserver observer) {
    if (n < 1 || n > MAX) {
      throw new IllegalArgumentException("check threads must be within 1-" + MAX + ": " + n);
    }
    engines = new NioEngine[n];
    probes = new Probes[n];
    schedulers = new CheckScheduler[n];
    CheckScheduler.Options each = new CheckScheduler.Options((options.maxConcurrent() + n - 1) / n,
        options.jitter(), options.fastInterval(), options.defaultDelayLoop());
    Object deliverLock = new Object();
    try {
      for (int i = 0; i < n; i++) {
        String name = n == 1 ? "lbkit-checks" : "lbkit-checks-" + i;
        engines[i] = setup == null ? NioEngine.start(name, closeWithReset)
            : NioEngine.start(name, closeWithReset, setup);
        probes[i] = new Probes(engines[i], blocking, custom);
        schedulers[i] = new CheckScheduler(timer != null ? timer : engines[i], each, n == 1 ? random
            : own(random), sink, observer, deliverLock);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A generator for one of several threads (the schedulers draw under their own locks): a
   * split of a splittable one (still reproducible from one seed), else the shared one behind
   * a lock.
   */
  private static RandomGenerator own(RandomGenerator r) {
    if (r instanceof RandomGenerator.SplittableGenerator s) {
      return s.split();
    }
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        synchronized (r) {
          return r.nextLong();
        }
      }
    };
  }

  /** How many threads. */
  public int count() {
    return engines.length;
  }

  /** The thread (0..count-1) that checks {@code real} of {@code service}. */
  public int of(ServiceKey service, RealServerKey real) {
    int h = service.hashCode() * 31 + real.hashCode();
    return Math.floorMod(h ^ (h >>> 16), engines.length);
  }

  /** The probes of thread {@code i}. */
  public Probes probes(int i) {
    return probes[i];
  }

  /** The scheduler of thread {@code i}. */
  public CheckScheduler scheduler(int i) {
    return schedulers[i];
  }

  /** The scheduler that checks {@code real} of {@code service}. */
  public CheckScheduler scheduler(ServiceKey service, RealServerKey real) {
    return schedulers[of(service, real)];
  }

  /** Attempts started on all threads. */
  public long attempts() {
    long sum = 0;
    for (CheckScheduler s : schedulers) {
      sum += s.attempts();
    }
    return sum;
  }

  /** {count, p50, p99, max} in ns of all threads' timer lag together (see {@link LagHistogram}). */
  public long[] lag(boolean reset) {
    List<LagHistogram> all = new ArrayList<>(engines.length);
    for (NioEngine e : engines) {
      all.add(e.lag());
    }
    return LagHistogram.snapshot(all, reset);
  }

  /** Stops every check and every thread. */
  public void close() {
    for (CheckScheduler s : schedulers) {
      if (s != null) {
        s.removeAll();
      }
    }
    for (NioEngine e : engines) {
      if (e != null) {
        e.close();
      }
    }
  }
}

package io.lbkit.checks.internal;

import io.lbkit.api.TimerService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.checks.CheckResult;
import java.time.Duration;

/**
 * The timing state machine of one check of one real server, with keepalived's rules:
 * <ul>
 *   <li>first attempt after a random delay within {@code warmup} (0 without), plus the
 *       initial jitter;
 *   <li>an attempt succeeds: the round succeeds; the next round starts after the
 *       interval ({@code delay_loop});
 *   <li>an attempt fails: if the check is up (or has never run) and fewer than
 *       {@code retry} retries were made in this round, retry after
 *       {@code delay_before_retry}; else the round fails and the next starts after the
 *       interval (a check already down is not retried, as in keepalived's tcp_epilog);
 *   <li>keepalived's up/down is rise = fall = 1: one successful round is up, one failed
 *       round (after its retries) is down. With rise/fall &gt; 1 the verdict changes after
 *       that many consecutive rounds, and while it is pending rounds come at the fast
 *       interval (when set);
 *   <li>each interval gets a random extra in [0, jitter × interval).
 * </ul>
 * One difference, kept on purpose: a check that is down comes back up on its first
 * successful attempt. keepalived 2.2.7's HTTP_GET was seen (kernel VM, the seed's config,
 * its log) to wait for a second success one delay_loop later before it puts the server
 * back, so lbkit returns a recovered server to rotation up to a delay_loop sooner
 * (docs/performance.md, the seed end-to-end row). rise &gt; 1 asks for more successes where that is wanted.
 * Guarded by the scheduler's lock.
 */
final class CheckLoop {
  private final CheckScheduler s;
  private final CheckScheduler.Backend backend;
  final CheckSpec spec;
  private final Probe probe;
  private final CheckTiming timing;
  private final Duration interval;
  boolean up;
  int weight = -1;
  private int retriesDone;
  private boolean hasRun;
  private int riseStreak;
  private int fallStreak;
  private long generation;
  private boolean stopped;
  private TimerService.Cancellable pending;
  private final Runnable launch = this::launch;
  // read and written only with an observer (see CheckObserver): when due, when started
  private long dueNanos;
  private long lagNanos;
  private long startNanos;

  CheckLoop(CheckScheduler s, CheckScheduler.Backend backend, CheckSpec spec, Probe probe, Duration delayLoop,
      boolean alpha) {
    this.s = s;
    this.backend = backend;
    this.spec = spec;
    this.probe = probe;
    this.timing = spec.timing();
    this.interval = timing.interval() != null ? timing.interval() : delayLoop;
    this.up = !alpha;
  }

  void start() {
    long first = 0;
    if (timing.warmup() != null && timing.warmup().toNanos() > 0) {
      first = s.random.nextLong(timing.warmup().toNanos() + 1);
    }
    first += jitter();
    schedule(Duration.ofNanos(first));
  }

  /** Whether a round has finished (after its retries). */
  boolean hasRun() {
    return hasRun;
  }

  void stop() {
    stopped = true;
    if (pending != null) {
      pending.cancel();
    }
  }

  private long jitter() {
    long max = (long) (interval.toNanos() * s.options.jitter());
    return max <= 0 ? 0 : s.random.nextLong(max);
  }

  private void schedule(Duration d) {
    if (s.observer != null) {
      dueNanos = s.timer.nanoTime() + d.toNanos();
    }
    pending = s.timer.schedule(d, launch);
  }

  private void launch() {
    s.lock.lock();
    try {
      if (stopped) {
        return;
      }
      pending = null;
      s.gate.acquire(new Attempt(++generation));
    } finally {
      s.lock.unlock();
    }
    s.deliver();
  }

  /**
   * One attempt: what the gate runs and what the probe reports to, in one object. Not lambdas: under
   * {@code lbctl run}'s C1-only JVM each capturing lambda is allocated through a method handle whose
   * Unsafe.allocateInstance is a call into the VM (perf, 1,000 backends), not an inline allocation.
   */
  private final class Attempt implements Runnable, java.util.function.Consumer<CheckResult> {
    private final long gen;
    private boolean reported; // guarded by the scheduler's lock

    Attempt(long gen) {
      this.gen = gen;
    }

    @Override
    public void run() {
      attempt(this);
    }

    @Override
    public void accept(CheckResult r) {
      onResult(this, r);
    }
  }

  private void attempt(Attempt a) {
    if (stopped) {
      s.gate.release();
      return;
    }
    s.countAttempt();
    if (s.observer != null) {
      s.lock.lock();
      try {
        startNanos = s.timer.nanoTime();
        lagNanos = Math.max(0, startNanos - dueNanos); // the timer's lateness and the wait for a slot
      } finally {
        s.lock.unlock();
      }
    }
    try {
      probe.run(a);
    } catch (RuntimeException e) {
      onResult(a, CheckResult.down("check failed to start: " + e));
    }
  }

  private void onResult(Attempt a, CheckResult r) {
    s.lock.lock();
    try {
      if (a.reported) {
        return; // a probe reporting twice is a bug in the probe; the first report counts
      }
      a.reported = true;
      s.gate.release();
      if (!stopped && a.gen == generation) {
        if (s.observer != null) {
          observe(r);
        }
        handle(r);
      }
    } finally {
      s.lock.unlock();
    }
    s.deliver();
  }

  private void observe(CheckResult r) {
    try {
      s.observer.attempted(backend.service, backend.real, spec.type(), r,
          Math.max(0, s.timer.nanoTime() - startNanos), lagNanos);
    } catch (RuntimeException e) {
      CheckScheduler.LOG.warn("check observer failed", e);
    }
  }

  private void handle(CheckResult r) {
    // keepalived retries only while the check is up or has not run yet: a check already
    // down waits a whole delay_loop between attempts
    if (!r.up() && retriesDone < timing.retry() && (up || !hasRun)) {
      retriesDone++;
      CheckScheduler.LOG.debug("{} {} {} attempt failed ({}), retry {}/{}", backend.service, backend.real,
          spec.type(), r.reason(), retriesDone, timing.retry());
      schedule(timing.delayBeforeRetry());
      return;
    }
    retriesDone = 0;
    hasRun = true;
    if (r.up()) {
      fallStreak = 0;
      if (r.weight() >= 0) {
        weight = r.weight();
      }
      if (!up && ++riseStreak >= timing.rise()) {
        up = true;
        riseStreak = 0;
      }
    } else {
      riseStreak = 0;
      if (up && ++fallStreak >= timing.fall()) {
        up = false;
        fallStreak = 0;
      }
    }
    backend.update(this, r);
    boolean pendingVerdict = riseStreak > 0 || fallStreak > 0;
    Duration next = (pendingVerdict && s.options.fastInterval() != null ? s.options.fastInterval() : interval)
        .plusNanos(jitter());
    if (CheckScheduler.LOG.isDebugEnabled()) { // every round's end: the timing of an up/down change is read from these
      CheckScheduler.LOG.debug("{} {} {} round {} ({}), {}; next attempt in {} ms", backend.service, backend.real,
          spec.type(), r.up() ? "up" : "down", r.reason(), up ? "UP" : "DOWN", next.toMillis());
    }
    schedule(next);
  }
}

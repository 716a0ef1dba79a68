package io.lbkit.vrrp.internal;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import java.net.InetAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP state machine of RFC 5798 section 6.4 (which RFC 3768 shares), plus
 * keepalived's FAULT and STOP, on an injected {@link TimerService}. It performs no
 * I/O: it tells its {@link VrrpFsmOutput} what to do. Every input arrives through a
 * synchronized method, so timers, received adverts and tracking may call from any
 * thread.
 *
 * <p>Late timers: when the master-down timer runs later than {@link #lateThresholdMicros}
 * after its deadline, this process was not running (GC, scheduling, a suspended VM)
 * and adverts that arrived meanwhile may still sit in the socket buffer. Taking over
 * then would be a spurious failover caused by our own stall. So the event is logged
 * and, while the transport says input is pending (checked at every expiry, late or
 * not), the decision waits in 1 ms steps (at most {@link #MAX_DEFERRALS}) for the
 * receive path to deliver it; a live master's
 * queued advert resets the timer, and with nothing queued the takeover is immediate.
 *
 * <p>Timing of a takeover: an advert's timers run from its arrival (the transport's
 * kernel receive time), and a backup's timers are precise (woken early, a warm-up of
 * the expiry's first step, a spin to the deadline; see {@code FsmTimer}), so a failover
 * is not lengthened by the receive thread's or the executor's wake-up latency.
 */
public final class VrrpFsm {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpFsm.class);

  /** How many 1 ms deferrals a late master-down timer may take while input is pending. */
  public static final int MAX_DEFERRALS = 100;

  private VrrpFsmConfig config;
  private final TimerService clock;
  private final VrrpFsmOutput out;
  private volatile java.util.function.BooleanSupplier inputPending = () -> false;
  private volatile java.util.function.BooleanSupplier masterGate = () -> true;
  // MASTER, or BACKUP whose master-down timer ran out: what a sync group asks (read without the lock).
  private volatile boolean wantsMaster;
  /** Started as "state MASTER" (perhaps adopting a killed run's VIPs) and not master yet. */
  private boolean mayHoldAddresses;
  private VrrpState state = VrrpState.INIT;
  private int effectivePriority;
  private long masterAdverMicros;
  private InetAddress masterAddress;
  private final FsmTimer timer;
  private final java.util.function.IntConsumer onExpiry = this::expired;
  // Run without the lock just before a backup's timer expires: the expiry's first step, so it runs warm.
  private final Runnable warmUp = () -> inputPending.getAsBoolean();
  private int deferrals;
  // When an expiry of any machine on this machine's timer thread last ended (clock time): see expired().
  private volatile java.util.concurrent.atomic.AtomicLong expiryEnded =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  private long preemptAtNanos = -1;
  private long lateTimers;

  /** A machine in INIT. */
  public VrrpFsm(VrrpFsmConfig config, TimerService clock, VrrpFsmOutput out) {
    this(config, clock, out, new FarWakeUps(clock));
  }

  /** A machine in INIT whose timer's far wake-ups share {@code far}'s one task with other machines'. */
  public VrrpFsm(VrrpFsmConfig config, TimerService clock, VrrpFsmOutput out, FarWakeUps far) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
    this.timer = new FsmTimer(clock, Objects.requireNonNull(far, "far"));
    this.effectivePriority = config.priority();
    this.masterAdverMicros = VrrpTimers.centisToMicros(config.advertCentis());
  }

  /** Tells the machine whether received packets are waiting to be processed (the transport knows). */
  public void setInputPending(java.util.function.BooleanSupplier pending) {
    this.inputPending = java.util.Objects.requireNonNull(pending, "pending");
  }

  /**
   * A sync group's rule (keepalived's vrrp_sync_can_goto_master): when the master-down
   * timer runs out, the machine becomes master only if the gate says so (every other
   * member wants master too); otherwise it stays BACKUP, wanting master, and checks
   * again every master-down interval. Members thus prefer BACKUP over thrashing.
   */
  public void setMasterGate(java.util.function.BooleanSupplier gate) {
    this.masterGate = java.util.Objects.requireNonNull(gate, "gate");
  }

  /**
   * Machines whose timers run on one thread share this (the router's): a master-down
   * timer that ran late right after other machines' expiries (100 takeovers at once,
   * each adding VIPs) was queued behind their work, which is logged as such; only
   * lateness nothing on that thread explains (GC, scheduling, a suspended VM) counts as
   * a stall ({@link #lateTimers}) and is warned about.
   */
  public void shareTimerThread(java.util.concurrent.atomic.AtomicLong lastExpiryEnded) {
    this.expiryEnded = java.util.Objects.requireNonNull(lastExpiryEnded, "lastExpiryEnded");
  }

  /** True if MASTER, or BACKUP with its master-down timer run out (lock-free, for sync groups). */
  public boolean wantsMaster() {
    return wantsMaster;
  }

  /** Current state. */
  public synchronized VrrpState state() {
    return state;
  }

  /** Priority now advertised (base plus tracking weights, 1-254; 255 for an owner). */
  public synchronized int effectivePriority() {
    return effectivePriority;
  }

  /** The master advert interval in use (learned from the master in v3), microseconds. */
  public synchronized long masterAdverMicros() {
    return masterAdverMicros;
  }

  /** The current master's address as last heard, or null. */
  public synchronized InetAddress masterAddress() {
    return state == VrrpState.MASTER ? config.primaryAddress() : masterAddress;
  }

  /** How many times a timer ran late enough to be treated as a stall. */
  public synchronized long lateTimers() {
    return lateTimers;
  }

  /** The master-down interval now, microseconds. */
  public synchronized long masterDownMicros() {
    return VrrpTimers.masterDownMicros(config.version(), effectivePriority, masterAdverMicros);
  }

  /** Leaves INIT (RFC 6.4.1): an owner becomes master, anyone else backup. */
  public synchronized void start() {
    if (state != VrrpState.INIT) {
      throw new IllegalStateException(config.name() + ": already started (" + state + ")");
    }
    if (effectivePriority == 255) {
      toMaster("priority 255: address owner");
    } else if (config.startAsMaster()) {
      // a previous run's addresses may still be on the interface (restart adoption): they stay
      // for the skew time it takes to become master, but go as soon as another master holds on
      mayHoldAddresses = true;
      toBackup("startup, state MASTER configured", skewMicros());
    } else {
      toBackup("startup", masterDownMicros());
    }
  }

  /**
   * Applies a changed configuration in place (a live change, no restart): the state is
   * kept. A new priority goes out with the next advert (so a lower one lets a
   * preempting backup take over, as after keepalived's reload); a new advert interval
   * applies from the next timer. {@code apply} runs under the machine's lock with the
   * current state, before any transition this change causes (the caller swaps its
   * spec there and, if MASTER, adjusts the addresses). Version and primary address
   * cannot change live.
   *
   * @throws IllegalArgumentException if the version or primary address differs
   */
  public synchronized void reconfigure(VrrpFsmConfig next, java.util.function.Consumer<VrrpState> apply) {
    if (next.version() != config.version() || !next.primaryAddress().equals(config.primaryAddress())) {
      throw new IllegalArgumentException(config.name() + ": version and source address cannot change live: "
          + config.version() + "/" + Inet.format(config.primaryAddress()) + " -> " + next.version() + "/"
          + Inet.format(next.primaryAddress()));
    }
    VrrpFsmConfig old = config;
    config = next;
    effectivePriority = next.priority() == 255 ? 255 : Math.min(254, next.priority());
    if (next.version() == 2 || state != VrrpState.BACKUP) {
      masterAdverMicros = VrrpTimers.centisToMicros(next.advertCentis());
    }
    if (!next.preempt() || !Objects.equals(old.preemptDelay(), next.preemptDelay())) {
      preemptAtNanos = -1;
    }
    apply.accept(state);
    if (state == VrrpState.BACKUP && next.priority() == 255) {
      toMaster("priority 255: address owner");
    }
  }

  /** Sets the effective priority (tracking weights); the owner's 255 never changes. */
  public synchronized void setEffectivePriority(int p) {
    if (p < 1 || p > 255) {
      throw new IllegalArgumentException(config.name() + ": effective priority out of range 1-255: " + p);
    }
    if (config.priority() == 255) {
      return;
    }
    effectivePriority = Math.min(254, p);
  }

  /**
   * An advert that passed the packet and instance checks, arrived now.
   *
   * @param src the sender's address
   * @param priority advertised priority
   * @param advertCentis advertised interval
   */
  public void advertReceived(InetAddress src, int priority, int advertCentis) {
    advertReceived(src, priority, advertCentis, clock.nanoTime());
  }

  /**
   * An advert that passed the packet and instance checks, arrived at {@code arrivedNanos}
   * (the clock's time; later than now counts as now). The timers it restarts (master
   * down, skew after priority 0) run from its arrival, as RFC 5798 counts them, so
   * time the receive path took does not lengthen a failover.
   *
   * @param src the sender's address
   * @param priority advertised priority
   * @param advertCentis advertised interval
   * @param arrivedNanos when the advert arrived, on the clock's scale
   */
  public synchronized void advertReceived(InetAddress src, int priority, int advertCentis, long arrivedNanos) {
    if (Trace.ON) {
      Trace.mark(Trace.INPUT);
    }
    if (state == VrrpState.BACKUP) {
      if (priority == 0) {
        masterAddress = src;
        armFrom(arrivedNanos, skewMicros(), "master " + Inet.format(src) + " stopped (priority 0)");
        return;
      }
      boolean lower = priority < effectivePriority;
      if (!lower || !preemptNow()) {
        releaseLeftovers();
        wantsMaster = false;
        masterAddress = src;
        if (config.version() == 3) {
          masterAdverMicros = VrrpTimers.centisToMicros(advertCentis);
        }
        deferrals = 0;
        armFrom(arrivedNanos, masterDownMicros(), null);
      }
      // else: a lower-priority master; discard and let the master-down timer make us master.
    } else if (state == VrrpState.MASTER) {
      if (priority == 0) {
        out.sendAdvert(effectivePriority);
        armAdvert(clock.nanoTime());
      } else if (priority > effectivePriority // equal priorities: the larger primary address wins (unsigned)
          || (priority == effectivePriority && Inet.compare(src, config.primaryAddress()) > 0)) {
        masterAddress = src;
        if (config.version() == 3) {
          masterAdverMicros = VrrpTimers.centisToMicros(advertCentis);
        }
        String why = priority > effectivePriority
            ? "higher priority " + priority + " from " + Inet.format(src)
            : "equal priority " + priority + " from larger address " + Inet.format(src);
        out.removeAddresses();
        toBackup(why, masterDownMicros());
      }
    }
  }

  /** A tracked object failed: leave MASTER (sending priority 0 like keepalived) and wait in FAULT. */
  public synchronized void fault(String reason) {
    if (state == VrrpState.FAULT || state == VrrpState.STOP) {
      return;
    }
    leaveMaster();
    cancel();
    change(VrrpState.FAULT, reason);
  }

  /** Every tracked object is fine again: FAULT → BACKUP (or MASTER for an owner). */
  public synchronized void faultCleared(String reason) {
    if (state != VrrpState.FAULT) {
      return;
    }
    if (effectivePriority == 255) {
      toMaster(reason);
    } else {
      toBackup(reason, masterDownMicros());
    }
  }

  /** Graceful stop: a master sends priority 0 and removes its addresses; no timer is left. */
  public synchronized void stop(String reason) {
    if (state == VrrpState.STOP) {
      return;
    }
    leaveMaster();
    cancel();
    change(VrrpState.STOP, reason);
  }

  /** Forces the master-down timer to expire now (a sync group member became master). */
  public synchronized void forceMaster(String reason) {
    if (state == VrrpState.BACKUP) {
      toMaster(reason);
    }
  }

  /** Forces MASTER → BACKUP (a sync group member went backup). */
  public synchronized void forceBackup(String reason) {
    if (state == VrrpState.MASTER) {
      out.removeAddresses();
      toBackup(reason, masterDownMicros());
    }
  }

  private void leaveMaster() {
    if (state == VrrpState.MASTER) {
      out.sendAdvert(0);
      out.removeAddresses();
    }
    releaseLeftovers();
  }

  /** A backup that started as "state MASTER" and will not become master now drops what it may hold. */
  private void releaseLeftovers() {
    if (mayHoldAddresses) {
      mayHoldAddresses = false;
      if (state != VrrpState.MASTER) {
        out.removeAddresses();
      }
    }
  }

  private boolean preemptNow() {
    if (!config.preempt()) {
      return false;
    }
    long delay = config.preemptDelay() == null ? 0 : config.preemptDelay().toNanos();
    if (delay <= 0) {
      return true;
    }
    long now = clock.nanoTime();
    if (preemptAtNanos < 0) {
      preemptAtNanos = now + delay;
    }
    return now >= preemptAtNanos;
  }

  private long skewMicros() {
    return VrrpTimers.skewMicros(config.version(), effectivePriority, masterAdverMicros);
  }

  private long masterAdverMicrosOwn() {
    return VrrpTimers.centisToMicros(config.advertCentis());
  }

  /** Lateness (µs) above which a timer is treated as a stall: a tenth of the interval, at least 5 ms. */
  long lateThresholdMicros() {
    return Math.max(5_000, masterAdverMicros / 10);
  }

  private void toBackup(String reason, long timerMicros) {
    preemptAtNanos = -1;
    deferrals = 0;
    change(VrrpState.BACKUP, reason);
    arm(timerMicros, null);
  }

  /**
   * Becoming master in keepalived's order, the advert first: it is what stops the other
   * routers' timers, so nothing (logging, listeners, netlink) runs before it. Then the
   * addresses and their announcements, then the notification.
   */
  private void toMaster(String reason) {
    mayHoldAddresses = false;
    masterAddress = null;
    VrrpState from = state;
    state = VrrpState.MASTER;
    wantsMaster = true;
    out.sendAdvert(effectivePriority);
    if (Trace.ON) {
      Trace.mark(Trace.SENT);
    }
    armAdvert(clock.nanoTime());
    out.addAddresses();
    notifyChange(from, VrrpState.MASTER, reason);
    if (Trace.ON) {
      Trace.report(reason);
    }
  }

  private void change(VrrpState to, String reason) {
    VrrpState from = state;
    state = to;
    wantsMaster = false;
    notifyChange(from, to, reason);
  }

  private void notifyChange(VrrpState from, VrrpState to, String reason) {
    LOG.info("VRRP instance {}: {} -> {} ({})", config.name(), from, to, reason);
    out.stateChanged(from, to, reason);
  }

  /**
   * Arms a master's advert timer for the first point after {@code afterNanos} on a grid
   * of its advert interval that every machine on this clock shares (multiples of the
   * interval on the clock's scale). In steady state that is exactly one interval after
   * the previous deadline (no drift from the time each send takes), after a stall it is
   * the next point (missed adverts are skipped, not sent in a burst), and the first one
   * after becoming master comes within one interval, often sooner. The point of the
   * grid: N masters with one interval send on the same instants, so a process with 100
   * instances wakes once per interval instead of 100 times (keepalived's event loop gets
   * the same from sharing one time reading per loop). A backup's master-down interval is
   * 3 intervals and more, so an advert sooner than the interval changes nothing for it.
   */
  private void armAdvert(long afterNanos) {
    long interval = masterAdverMicrosOwn() * 1000;
    long next = Math.floorDiv(afterNanos, interval) * interval + interval;
    timer.armFrom(next - interval, interval / 1000, onExpiry, null);
  }

  private void arm(long micros, String logWhy) {
    armFrom(clock.nanoTime(), micros, logWhy);
  }

  private void armFrom(long startNanos, long micros, String logWhy) {
    // The deadline first: logging must not delay it. A backup's timer decides a failover: precise.
    timer.armFrom(startNanos, micros, onExpiry, state == VrrpState.BACKUP ? warmUp : null);
    if (Trace.ON && state == VrrpState.BACKUP) {
      Trace.mark(Trace.ARMED);
      Trace.set(Trace.DEADLINE, timer.deadlineNanos());
    }
    if (logWhy != null) {
      LOG.info("VRRP instance {}: {}; taking over in {} us unless a master is heard", config.name(), logWhy, micros);
    }
  }

  private void cancel() {
    timer.cancel();
  }

  private synchronized void expired(int gen) {
    if (!timer.fire(gen)) {
      return;
    }
    try {
      expire();
    } finally {
      expiryEnded.accumulateAndGet(clock.nanoTime(), Math::max);
    }
  }

  /** True if this late timer ran right after other machines' expiries that ended after its deadline. */
  private boolean queuedBehindOthers() {
    long ended = expiryEnded.get();
    return ended != Long.MIN_VALUE && ended - timer.deadlineNanos() > 0
        && (clock.nanoTime() - ended) / 1000 <= lateThresholdMicros();
  }

  private void expire() {
    if (Trace.ON && state == VrrpState.BACKUP) {
      Trace.mark(Trace.FIRED);
    }
    long lateMicros = timer.lateMicros();
    if (state == VrrpState.MASTER) {
      if (lateMicros > masterAdverMicrosOwn()) {
        lateTimers++;
        LOG.warn("VRRP instance {}: advert timer ran {} us late (process stalled); backups may have taken over",
            config.name(), lateMicros);
      }
      out.sendAdvert(effectivePriority);
      armAdvert(Math.max(clock.nanoTime(), timer.deadlineNanos()));
    } else if (state == VrrpState.BACKUP) {
      if (deferrals == 0 && lateMicros > lateThresholdMicros()) {
        if (queuedBehindOthers()) {
          LOG.info("VRRP instance {}: master-down timer ran {} us late, queued behind other instances' work on the"
              + " timer thread", config.name(), lateMicros);
        } else {
          lateTimers++;
          LOG.warn("VRRP instance {}: master-down timer ran {} us late (this process stalled)", config.name(),
              lateMicros);
        }
      }
      // A packet that arrived before the deadline but is not processed yet (a stall, a slow receive thread)
      // decides first: let the receive path deliver it, in 1 ms steps, boundedly.
      if (deferrals < MAX_DEFERRALS && inputPending.getAsBoolean()) {
        deferrals++;
        arm(1000, null);
        return;
      }
      if (Trace.ON) {
        Trace.mark(Trace.CHECKED);
      }
      wantsMaster = true;
      if (!masterGate.getAsBoolean()) {
        deferrals = 0;
        // A sync group member still hears its master: stay, look again later (a poll: no spin for it).
        timer.armFrom(clock.nanoTime(), masterDownMicros(), onExpiry, null);
        return;
      }
      toMaster(deferrals > 0 ? "master down timer expired (queued adverts checked after a stall)"
          : "master down timer expired");
    }
  }

}

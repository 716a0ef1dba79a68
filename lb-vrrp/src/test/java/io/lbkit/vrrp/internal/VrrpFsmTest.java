package io.lbkit.vrrp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine transition by transition on a manual clock. */
class VrrpFsmTest {
  static final InetAddress ME = Inet.parse("10.0.0.100");
  static final InetAddress PEER = Inet.parse("10.0.0.2");

  final ManualClock clock = new ManualClock();
  final List<String> actions = new ArrayList<>();

  VrrpFsm fsm(int version, int prio, int centis, boolean preempt, Duration preemptDelay, TimerService c) {
    return new VrrpFsm(new VrrpFsmConfig("VI_1", version, prio, centis, preempt, preemptDelay, ME, false), c,
        new VrrpFsmOutput() {
          @Override public void sendAdvert(int priority) { actions.add("advert " + priority + " @" + ms()); }
          @Override public void addAddresses() { actions.add("add @" + ms()); }
          @Override public void removeAddresses() { actions.add("remove @" + ms()); }
          @Override public void stateChanged(VrrpState from, VrrpState to, String reason) {
            actions.add(from + "->" + to + " @" + ms() + " (" + reason + ")");
          }
        });
  }

  VrrpFsm fsm(int prio) {
    return fsm(2, prio, 100, true, Duration.ZERO, clock);
  }

  long ms() {
    return clock.nanoTime() / 1_000_000;
  }

  VrrpFsm master(int prio) {
    VrrpFsm f = fsm(prio);
    f.start();
    clock.advance(Duration.ofMillis(3610));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    actions.clear();
    return f;
  }

  @Test
  void start_noMaster_becomesMasterExactlyAtMasterDown3609375us() {
    VrrpFsm f = fsm(100);
    f.start();
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(3_609_374_999L));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    // the advert goes first (it stops the other routers' timers), then the addresses, then the notification
    assertThat(actions).containsExactly("INIT->BACKUP @0 (startup)",
        "advert 100 @3609", "add @3609", "BACKUP->MASTER @3609 (master down timer expired)");
  }

  VrrpFsm startedAsMaster(int prio) {
    VrrpFsm f = new VrrpFsm(new VrrpFsmConfig("VI_1", 2, prio, 100, true, Duration.ZERO, ME, true), clock,
        new VrrpFsmOutput() {
          @Override public void sendAdvert(int priority) { actions.add("advert " + priority + " @" + ms()); }
          @Override public void addAddresses() { actions.add("add @" + ms()); }
          @Override public void removeAddresses() { actions.add("remove @" + ms()); }
          @Override public void stateChanged(VrrpState from, VrrpState to, String reason) {
            actions.add(from + "->" + to + " @" + ms() + " (" + reason + ")");
          }
        });
    f.start();
    return f;
  }

  @Test
  void startedAsMaster_higherMasterHeard_dropsAddressesAPreviousRunLeft() {
    VrrpFsm f = startedAsMaster(100); // restart adoption: a killed run's VIPs may be on the interface
    clock.advance(Duration.ofMillis(100));
    f.advertReceived(PEER, 150, 100, clock.nanoTime());
    f.advertReceived(PEER, 150, 100, clock.nanoTime() + 1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(actions).containsExactly("INIT->BACKUP @0 (startup, state MASTER configured)", "remove @100");
  }

  @Test
  void startedAsMaster_noMasterHeard_becomesMasterWithoutRemovingFirst() {
    VrrpFsm f = startedAsMaster(100);
    clock.advance(Duration.ofMillis(700)); // skew time (256 - 100) / 256 s
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    assertThat(actions).noneMatch(a -> a.startsWith("remove"));
    f.advertReceived(PEER, 150, 100, clock.nanoTime()); // then a higher master: removed once, as any master
    assertThat(actions.stream().filter(a -> a.startsWith("remove")).count()).isEqualTo(1);
  }

  @Test
  void startedAsMaster_faultBeforeMaster_dropsAddresses() {
    VrrpFsm f = startedAsMaster(100);
    f.fault("tracked script failed");
    assertThat(actions).contains("remove @0");
  }

  @Test
  void start_owner255_masterAtOnce() {
    VrrpFsm f = fsm(255);
    f.start();
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    assertThat(actions).containsExactly("advert 255 @0", "add @0", "INIT->MASTER @0 (priority 255: address owner)");
  }

  @Test
  void master_sendsAdvertEveryIntervalOnTheIntervalGrid() {
    master(100); // master (and its first advert) at 3609.375 ms
    clock.advance(Duration.ofMillis(3000));
    // the next grid point within one interval, then exactly one interval apart
    assertThat(actions).containsExactly("advert 100 @4000", "advert 100 @5000", "advert 100 @6000");
  }

  @Test
  void mastersThatTookOverAtDifferentTimes_sendOnTheSameInstants() {
    VrrpFsm a = fsm(100);
    a.start();
    clock.advance(Duration.ofMillis(1234));
    VrrpFsm b = fsm(200); // master-down at 200 is 3.21875 s: b master at 4452.75 ms, a at 3609.375 ms
    b.start();
    clock.advance(Duration.ofMillis(4766)); // to 6000 ms
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(actions.stream().filter(x -> x.startsWith("advert")).toList()).containsExactly(
        "advert 100 @3609", "advert 100 @4000", "advert 200 @4452", "advert 100 @5000", "advert 200 @5000",
        "advert 100 @6000", "advert 200 @6000");
  }

  @Test
  void master_stalledForIntervals_skipsTheMissedAdvertsAndStaysOnTheGrid() {
    StallingClock sc = new StallingClock(clock);
    fsm(2, 100, 100, true, Duration.ZERO, sc).start();
    clock.advance(Duration.ofMillis(3610)); // master at 3609.375 ms, next advert due at 4000
    actions.clear();
    sc.stallUntil(Duration.ofMillis(6500));  // the process does not run from 4000 to 6500 ms
    clock.advance(Duration.ofMillis(4000));
    // one advert when it runs again (late: logged), none of the three it missed, then the grid again
    assertThat(actions).containsExactly("advert 100 @6500", "advert 100 @7000");
  }

  @Test
  void backup_hearingMasterEverySecond_staysBackup() {
    VrrpFsm f = fsm(100);
    f.start();
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      f.advertReceived(PEER, 150, 100);
    }
    clock.advance(Duration.ofMillis(3609));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void backup_priorityZero_takesOverAfterSkewOnly() {
    VrrpFsm f = fsm(100);
    f.start();
    f.advertReceived(PEER, 150, 100);
    clock.advance(Duration.ofMillis(500));
    f.advertReceived(PEER, 0, 100);
    clock.advance(Duration.ofNanos(609_374_999));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofNanos(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void master_higherPriority_goesBackupAndRemovesAddresses() {
    VrrpFsm f = master(100);
    f.advertReceived(PEER, 101, 100);
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(actions).containsExactly("remove @3610", "MASTER->BACKUP @3610 (higher priority 101 from 10.0.0.2)");
    assertThat(f.masterAddress()).isEqualTo(PEER);
  }

  @Test
  void master_lowerPriority_staysMaster() {
    VrrpFsm f = master(100);
    f.advertReceived(PEER, 99, 100);
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    assertThat(actions).isEmpty();
  }

  @Test
  void master_equalPriorityFromLargerAddressOctetAbove127_yields() {
    VrrpFsm f = master(100);
    // 130 as a signed byte is -126, smaller than our 100: an unsigned compare is needed.
    f.advertReceived(Inet.parse("10.0.0.130"), 100, 100);
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(actions).contains("MASTER->BACKUP @3610 (equal priority 100 from larger address 10.0.0.130)");
  }

  @Test
  void master_equalPriorityFromSmallerAddress_staysMaster() {
    VrrpFsm f = master(100);
    f.advertReceived(Inet.parse("10.0.0.99"), 100, 100);
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void master_priorityZeroFromOther_sendsAdvertAtOnce() {
    VrrpFsm f = master(100);
    clock.advance(Duration.ofMillis(300));
    f.advertReceived(PEER, 0, 100);
    assertThat(actions).containsExactly("advert 100 @3910");
    clock.advance(Duration.ofMillis(1000));
    assertThat(actions).containsExactly("advert 100 @3910", "advert 100 @4000");
  }

  @Test
  void backup_preempt_lowerPriorityMaster_takesOverAtMasterDown() {
    VrrpFsm f = fsm(200);
    f.start();
    clock.advance(Duration.ofMillis(100));
    f.advertReceived(PEER, 100, 100);
    clock.advance(Duration.ofMillis(1000));
    f.advertReceived(PEER, 100, 100);
    // skew at 200 = 56/256 s = 218.75 ms; master-down 3.21875 s from the first (the last one was discarded)
    clock.advance(Duration.ofMillis(2118));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void backup_nopreempt_lowerPriorityMaster_staysBackup() {
    VrrpFsm f = fsm(2, 200, 100, false, Duration.ZERO, clock);
    f.start();
    for (int i = 0; i < 20; i++) {
      f.advertReceived(PEER, 100, 100);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void backup_preemptDelay_waitsBeforePreempting() {
    VrrpFsm f = fsm(2, 200, 100, true, Duration.ofSeconds(10), clock);
    f.start();
    for (int i = 0; i < 10; i++) {
      f.advertReceived(PEER, 100, 100);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    f.advertReceived(PEER, 100, 100); // t=10 s: delay over, discarded
    clock.advance(Duration.ofMillis(3219));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void stop_master_sendsPriorityZeroRemovesAddressesLeavesNoTimer() {
    VrrpFsm f = master(100);
    f.stop("shutdown");
    assertThat(actions).containsExactly("advert 0 @3610", "remove @3610", "MASTER->STOP @3610 (shutdown)");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void stop_backup_sendsNothing() {
    VrrpFsm f = fsm(100);
    f.start();
    actions.clear();
    f.stop("shutdown");
    assertThat(actions).containsExactly("BACKUP->STOP @0 (shutdown)");
    assertThat(clock.pending()).isZero();
  }

  @Test
  void fault_master_sendsPriorityZeroAndClearedReturnsToBackup() {
    VrrpFsm f = master(100);
    f.fault("eth1 down");
    assertThat(actions).containsExactly("advert 0 @3610", "remove @3610", "MASTER->FAULT @3610 (eth1 down)");
    f.advertReceived(PEER, 50, 100);
    clock.advance(Duration.ofSeconds(10));
    assertThat(f.state()).isEqualTo(VrrpState.FAULT);
    f.faultCleared("eth1 up");
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(3610));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void v3_backupLearnsMasterIntervalFor50msAdverts() {
    VrrpFsm f = fsm(3, 100, 100, true, Duration.ZERO, clock);
    f.start();
    f.advertReceived(PEER, 150, 5);
    assertThat(f.masterAdverMicros()).isEqualTo(50_000);
    // 3 × 50 ms + 156 × 50 ms / 256 = 150 ms + 30.468 ms
    assertThat(f.masterDownMicros()).isEqualTo(180_468);
    clock.advance(Duration.ofMillis(180));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void effectivePriority_changesAdvertisedPriority() {
    VrrpFsm f = master(100);
    f.setEffectivePriority(70);
    clock.advance(Duration.ofSeconds(1));
    assertThat(actions).containsExactly("advert 70 @4000");
  }

  @Test
  void lateTimer_stalledBackupWithQueuedAdverts_doesNotTakeOver() {
    StallingClock sc = new StallingClock(clock);
    VrrpFsm f = fsm(2, 100, 100, true, Duration.ZERO, sc);
    List<Integer> socketBuffer = new ArrayList<>();
    f.setInputPending(() -> !socketBuffer.isEmpty());
    f.start();
    f.advertReceived(PEER, 150, 100);          // t = 0
    sc.stallUntil(Duration.ofSeconds(9));      // the JVM stops for 9 s; the deadline was 3.609 s
    for (int i = 0; i < 8; i++) {
      socketBuffer.add(150);                   // adverts the kernel queued meanwhile
    }
    clock.advance(Duration.ofSeconds(9));      // the late timer runs first, at 9 s, and sees input pending ...
    while (!socketBuffer.isEmpty()) {
      f.advertReceived(PEER, socketBuffer.remove(0), 100);   // ... then the receive thread drains the buffer
    }
    clock.advance(Duration.ofSeconds(1));
    f.advertReceived(PEER, 150, 100);
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(actions).noneMatch(a -> a.contains("MASTER"));
    assertThat(f.lateTimers()).isEqualTo(1);
  }

  @Test
  void lateTimer_stalledBackupWithNothingQueued_takesOverAtOnce() {
    StallingClock sc = new StallingClock(clock);
    VrrpFsm f = fsm(2, 100, 100, true, Duration.ZERO, sc);
    f.start();
    f.advertReceived(PEER, 150, 100);
    sc.stallUntil(Duration.ofSeconds(9));
    clock.advance(Duration.ofSeconds(9));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
    assertThat(f.lateTimers()).isEqualTo(1);
  }

  @Test
  void lateTimer_inputPendingForever_deferralIsBounded() {
    StallingClock sc = new StallingClock(clock);
    VrrpFsm f = fsm(2, 100, 100, true, Duration.ZERO, sc);
    f.setInputPending(() -> true);
    f.start();
    sc.stallUntil(Duration.ofSeconds(9));
    clock.advance(Duration.ofMillis(9000 + VrrpFsm.MAX_DEFERRALS - 1));
    assertThat(f.state()).isEqualTo(VrrpState.BACKUP);
    clock.advance(Duration.ofMillis(1));
    assertThat(f.state()).isEqualTo(VrrpState.MASTER);
  }

  /** A clock whose tasks cannot run until a stall ends, as in a GC pause. */
  static final class StallingClock implements TimerService {
    final ManualClock inner;
    long stallEnd;

    StallingClock(ManualClock inner) {
      this.inner = inner;
    }

    void stallUntil(Duration atTime) {
      stallEnd = atTime.toNanos();
    }

    @Override public long nanoTime() { return inner.nanoTime(); }
    @Override public Instant now() { return inner.now(); }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      boolean[] cancelled = {false};
      Runnable gated = new Runnable() {
        @Override public void run() {
          if (cancelled[0]) {
            return;
          }
          if (inner.nanoTime() < stallEnd) {
            inner.schedule(Duration.ofNanos(stallEnd - inner.nanoTime()), this);
          } else {
            task.run();
          }
        }
      };
      Cancellable c = inner.schedule(delay, gated);
      return () -> {
        cancelled[0] = true;
        c.cancel();
      };
    }
  }
}

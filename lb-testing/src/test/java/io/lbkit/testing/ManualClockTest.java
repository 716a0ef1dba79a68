package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.TimerService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  final ManualClock clock = new ManualClock();
  final List<String> ran = new ArrayList<>();

  @Test
  void advance_runsDueTasksInDueOrder_atTheirDueTime() {
    clock.schedule(Duration.ofMillis(300), () -> ran.add("300@" + clock.nanoTime() / 1_000_000));
    clock.schedule(Duration.ofMillis(100), () -> ran.add("100@" + clock.nanoTime() / 1_000_000));
    clock.schedule(Duration.ofMillis(500), () -> ran.add("500"));
    clock.advanceMillis(400);
    assertThat(ran).containsExactly("100@100", "300@300");
    assertThat(clock.nanoTime()).isEqualTo(400_000_000L);
    assertThat(clock.pending()).isEqualTo(1);
  }

  @Test
  void taskScheduledByATask_withinTheWindow_runsInTheSameAdvance() {
    clock.schedule(Duration.ofSeconds(1), () -> clock.schedule(Duration.ofSeconds(1), () -> ran.add("chained")));
    clock.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("chained");
  }

  @Test
  void cancelledTask_neverRuns() {
    TimerService.Cancellable c = clock.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
    c.cancel();
    clock.advance(Duration.ofSeconds(5));
    assertThat(ran).isEmpty();
    assertThat(clock.tasksRun()).isZero();
  }

  @Test
  void sameDueTime_runsInSchedulingOrder() {
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("b"));
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void negativeAdvance_isRejected() {
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).hasMessageContaining("PT-0.001S");
  }

  @Test
  void now_followsMonotonicTime() {
    var t0 = clock.now();
    clock.advanceMillis(1500);
    assertThat(Duration.between(t0, clock.now())).isEqualTo(Duration.ofMillis(1500));
    assertThat(clock.nextDue()).isNull();
  }
}

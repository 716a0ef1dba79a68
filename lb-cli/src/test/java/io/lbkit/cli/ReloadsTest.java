package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** lbctl run's reloads: one at a time, a deadline, and a stale one never applied after a newer one. */
class ReloadsTest {
  final ManualClock clock = new ManualClock();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final List<String> applied = new CopyOnWriteArrayList<>();
  final AtomicInteger loads = new AtomicInteger();
  final CountDownLatch firstLoading = new CountDownLatch(1);
  final CountDownLatch releaseFirst = new CountDownLatch(1);

  /** The first load blocks (an include that blocks the read) until released; it then reads "v1", later ones "v2". */
  LoadBalancerSpec load() {
    int n = loads.incrementAndGet();
    if (n == 1) {
      firstLoading.countDown();
      try {
        releaseFirst.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return spec("v1");
    }
    return spec("v2");
  }

  /** Specs told apart by identity: what each reload read. */
  static final Map<String, LoadBalancerSpec> SPECS = Map.of("v1", LoadBalancerSpec.of(List.of()), "v2",
      LoadBalancerSpec.of(List.of()), "v3", LoadBalancerSpec.of(List.of()));

  static LoadBalancerSpec spec(String name) {
    return SPECS.get(name);
  }

  static String name(LoadBalancerSpec s) {
    return SPECS.entrySet().stream().filter(e -> e.getValue() == s).findFirst().orElseThrow().getKey();
  }

  Reloads reloads() {
    return new Reloads(this::load, s -> applied.add(name(s)), clock, Duration.ofSeconds(30),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void reload_stuckPastItsDeadline_newerOneApplies_stuckOneIsDroppedNotRolledBack() throws Exception {
    Reloads r = reloads();
    r.request();
    assertThat(firstLoading.await(5, TimeUnit.SECONDS)).isTrue();
    r.request(); // the operator fixed the file and sends SIGHUP again
    clock.advance(Duration.ofSeconds(31)); // the first is past its deadline: the second may run
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (applied.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(10); // bounded wait for the second reload's thread, not a timing assertion
    }
    assertThat(applied).containsExactly("v2");
    releaseFirst.countDown(); // the stuck read returns at last, with what the file said then
    assertThat(r.awaitQuiet(Duration.ofSeconds(10))).isTrue();
    assertThat(applied).as("the late first reload must not roll the second back").containsExactly("v2");
    assertThat(err()).contains("reload #1: not done within 30 s", "reload #1: dropped");
  }

  @Test
  void reload_requestsWhileOneRuns_waitForIt_andAreCoalescedIntoOne() throws Exception {
    Reloads r = reloads();
    r.request();
    assertThat(firstLoading.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) {
      r.request();
    }
    assertThat(loads.get()).as("no second load while the first runs").isEqualTo(1);
    releaseFirst.countDown();
    assertThat(r.awaitQuiet(Duration.ofSeconds(10))).isTrue();
    assertThat(applied).containsExactly("v1", "v2");
    assertThat(loads.get()).isEqualTo(2);
  }

  @Test
  void reload_fileWithErrors_appliesNothing_andTheNextOneRuns() throws Exception {
    AtomicInteger n = new AtomicInteger();
    Reloads r = new Reloads(() -> n.incrementAndGet() == 1 ? null : spec("v3"), s -> applied.add(name(s)),
        clock, Duration.ofSeconds(30), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    r.request();
    assertThat(r.awaitQuiet(Duration.ofSeconds(10))).isTrue();
    assertThat(applied).isEmpty();
    r.request();
    assertThat(r.awaitQuiet(Duration.ofSeconds(10))).isTrue();
    assertThat(applied).containsExactly("v3");
  }
}

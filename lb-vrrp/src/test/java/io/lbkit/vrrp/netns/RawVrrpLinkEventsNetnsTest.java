package io.lbkit.vrrp.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Lan;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * netns tier: a router on RawVrrpTransport in a named namespace, with the transport's own
 * link status, reads the namespace's link (not this process's /sys/class/net) and follows
 * it by netlink link events: with a tracking interval of an hour, no poll could see it.
 */
class RawVrrpLinkEventsNetnsTest {
  private static final long DEADLINE_MILLIS = 5000;
  private Lan lan;
  private ScheduledExecutorService exec;

  @BeforeEach
  void setUp() {
    Tiers.requireRoot("creates network namespaces and raw sockets");
    lan = Lan.create(1, "10.9.7.0/24");
    exec = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() {
    if (exec != null) {
      exec.shutdownNow();
    }
    if (lan != null) {
      lan.close();
    }
  }

  @Test
  void linkSetDownInTheNamespace_faultByLinkEvent_upAgain_masterAgain_withoutAPoll() throws Exception {
    String ns = lan.member(0).name();
    RawVrrpTransport transport = RawVrrpTransport.open(ns);
    assertThat(transport.linkUp(Lan.MEMBER_IF)).isTrue();
    assertThat(transport.linkUp("no-such-link0")).isFalse();
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", Lan.MEMBER_IF, 77).version(3).priority(150).advertInterval(Duration.ofMillis(100))
        .virtualAddresses(List.of(VirtualAddress.of("10.9.7.200"))).build();
    try (VrrpRouter r = VrrpRouter.builder(transport, new FakeAddressManager(Lan.MEMBER_IF),
        TimerService.system(exec)).trackingInterval(Duration.ofHours(1)).notifyExecutor(Runnable::run)
        .instance(spec).build()) {
      r.start();
      await(() -> r.instance("VI_1").state() == VrrpState.MASTER, "MASTER");

      lan.member(0).down(Lan.MEMBER_IF);
      assertThat(transport.linkUp(Lan.MEMBER_IF)).isFalse();
      await(() -> r.instance("VI_1").state() == VrrpState.FAULT, "FAULT after the link went down");

      lan.member(0).up(Lan.MEMBER_IF);
      await(() -> r.instance("VI_1").state() == VrrpState.MASTER, "MASTER again after the link came up");
    }
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not " + what + " within " + DEADLINE_MILLIS + " ms");
      }
      Thread.sleep(10);
    }
  }
}

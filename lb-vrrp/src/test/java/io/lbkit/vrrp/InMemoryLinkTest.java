package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-memory hosts' links: up unless the test sets one down, whatever the machine running the test has. */
class InMemoryLinkTest {
  static final String NO_SUCH_IFACE = "eth-does-not-exist";
  static final InetAddress A = Inet.parse("10.0.0.1");
  static final InetAddress B = Inet.parse("10.0.0.2");
  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);

  VrrpRouter router(InetAddress host, int priority) {
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", NO_SUCH_IFACE, 51).priority(priority)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
    // no linkStatus: the in-memory host answers
    return VrrpRouter.builder(net.host(host), new FakeAddressManager(NO_SUCH_IFACE), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).instance(spec).build();
  }

  @Test
  void recheck_threeInstancesOnOneLink_readsTheLinkOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    VrrpRouter.Builder b = VrrpRouter.builder(net.host(A), new FakeAddressManager(NO_SUCH_IFACE), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> {
          reads.incrementAndGet();
          return true;
        });
    for (int vrid = 51; vrid <= 53; vrid++) {
      b.instance(VrrpInstanceSpec.builder("VI_" + vrid, NO_SUCH_IFACE, vrid).priority(100)
          .virtualAddresses(List.of(VirtualAddress.of("10.0.0." + vrid))).build());
    }
    try (VrrpRouter r = b.build()) {
      r.start();
      int before = reads.get();
      r.recheck();
      assertThat(reads.get() - before).isEqualTo(1);
    }
  }

  @Test
  void instanceOnInterfaceTheMachineLacks_becomesMaster_inMemory() throws Exception {
    try (VrrpRouter r = router(A, 150)) {
      r.start();
      clock.advance(Duration.ofSeconds(4));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    }
  }

  @Test
  void linkDown_masterGoesToFault_linkUp_itComesBack() throws Exception {
    try (VrrpRouter r = router(A, 150)) {
      r.start();
      clock.advance(Duration.ofSeconds(4));
      net.linkDown(A, NO_SUCH_IFACE);
      clock.advance(Duration.ofSeconds(2));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.FAULT);
      net.linkUp(A, NO_SUCH_IFACE);
      clock.advance(Duration.ofSeconds(6));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
    }
  }

  @Test
  void linkDown_onOneHost_otherHostsSeeTheirOwnUp_andNoAdvertsCross() throws Exception {
    try (VrrpRouter a = router(A, 150); VrrpRouter b = router(B, 100)) {
      a.start();
      b.start();
      clock.advance(Duration.ofSeconds(4));
      assertThat(b.instance("VI_1").state()).isEqualTo(VrrpState.BACKUP);
      net.linkDown(A, NO_SUCH_IFACE);
      clock.advance(Duration.ofSeconds(5));
      assertThat(a.instance("VI_1").state()).isEqualTo(VrrpState.FAULT);
      assertThat(b.instance("VI_1").state()).as("A's adverts no longer reach B").isEqualTo(VrrpState.MASTER);
      assertThat(net.host(B).linkUp(NO_SUCH_IFACE)).isTrue();
      assertThat(net.host(A).linkUp(NO_SUCH_IFACE)).isFalse();
    }
  }

  /** Host A's in-memory transport, counting link reads. */
  final class CountingHost implements VrrpTransport {
    final VrrpTransport host = net.host(A);
    final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Channel open(String iface, io.lbkit.api.Family family, InetAddress group, InetAddress source,
        Receiver receiver) throws java.io.IOException {
      return host.open(iface, family, group, source, receiver);
    }

    @Override
    public void announce(String iface, InetAddress address) throws java.io.IOException {
      host.announce(iface, address);
    }

    @Override
    public boolean linkUp(String iface) {
      reads.incrementAndGet();
      return host.linkUp(iface);
    }

    @Override
    public java.io.Closeable watchLinks(Runnable changed) throws java.io.IOException {
      return host.watchLinks(changed);
    }
  }

  @Test
  void untrackedInstance_transportWithLinkEvents_readsLinksOnlyOnAnEvent_faultAtOnce() throws Exception {
    CountingHost host = new CountingHost();
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", NO_SUCH_IFACE, 51).priority(150)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
    try (VrrpRouter r = VrrpRouter.builder(host, new FakeAddressManager(NO_SUCH_IFACE), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).instance(spec).build()) {
      r.start();
      clock.advance(Duration.ofSeconds(4));
      int before = host.reads.get();
      clock.advance(Duration.ofSeconds(30));
      assertThat(host.reads.get()).as("no tracking poll: nothing to poll for").isEqualTo(before);
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);

      net.linkDown(A, NO_SUCH_IFACE);
      clock.advance(Duration.ofMillis(1));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.FAULT);
      assertThat(host.reads.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void linkStatusPredicate_isPolledEveryTrackingInterval() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", NO_SUCH_IFACE, 51).priority(150)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
    try (VrrpRouter r = VrrpRouter.builder(net.host(A), new FakeAddressManager(NO_SUCH_IFACE), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> {
          reads.incrementAndGet();
          return true;
        }).instance(spec).build()) {
      r.start();
      int before = reads.get();
      clock.advance(Duration.ofSeconds(10));
      assertThat(reads.get() - before).as("one read per 1 s pass").isEqualTo(10);
    }
  }

  @Test
  void trackFile_transportWithLinkEvents_stillPolled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    CountingHost host = new CountingHost();
    java.nio.file.Path f = dir.resolve("weight");
    java.nio.file.Files.writeString(f, "0\n");
    VrrpInstanceSpec.Builder s = VrrpInstanceSpec.builder("VI_1", NO_SUCH_IFACE, 51).priority(150)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100")));
    s.trackFiles = java.util.Map.of("tf", java.util.OptionalInt.of(0));
    try (VrrpRouter r = VrrpRouter.builder(host, new FakeAddressManager(NO_SUCH_IFACE), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).trackFile("tf", f, 0).instance(s.build())
        .build()) {
      r.start();
      clock.advance(Duration.ofSeconds(4));
      assertThat(r.instance("VI_1").state()).isEqualTo(VrrpState.MASTER);
      java.nio.file.Files.writeString(f, "1\n");
      clock.advance(Duration.ofSeconds(1));
      assertThat(r.instance("VI_1").state()).as("the file is polled").isEqualTo(VrrpState.FAULT);
    }
  }
}

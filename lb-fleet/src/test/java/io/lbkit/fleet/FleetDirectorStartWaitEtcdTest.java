package io.lbkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.etcd.EtcdProcess;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link FleetDirector.Builder#startWait}: a start while etcd is down, or before the key's first put, waits for it
 * and ends on an interrupt or its deadline.
 */
class FleetDirectorStartWaitEtcdTest {
  static final String A = Node.conf("10.0.0.1=10.1.0.1,10.1.0.2");

  @Test
  void start_etcdDown_waitsUntilItAnswers_thenAppliesTheStoredConfig() throws Exception {
    Node n = new Node();
    try (EtcdProcess etcd = EtcdProcess.launch();
        FleetStore s = FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-test/startWait")) {
      long rev = s.put(A, OptionalLong.empty());
      etcd.stop();
      CompletableFuture<FleetDirector> started = starting(n.director(s, "d1")
          .startWait(ChronoUnit.FOREVER.getDuration()));
      try {
        Node.sleep(3000); // several tries fail meanwhile
        assertThat(started).as("still waiting for etcd").isNotDone();
        assertThat(n.writes()).as("nothing started while waiting").isEmpty();
        etcd.start();
        try (FleetDirector d = started.get(60, TimeUnit.SECONDS)) {
          assertThat(d.status().appliedRevision()).isEqualTo(rev);
          assertThat(n.writes()).contains("-A -t 10.0.0.1:80 -s rr");
          Node.await(d, x -> !x.announced().isEmpty(), "announced");
        }
      } finally {
        started.cancel(true);
      }
    }
  }

  @Test
  void start_keyNotStoredYet_waitsForTheFirstPut_startsOnItsRevision_thenFollowsTheKey() throws Exception {
    Node n = new Node();
    try (EtcdProcess etcd = EtcdProcess.launch();
        FleetStore s = FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-test/keyLater")) {
      CompletableFuture<FleetDirector> started = starting(n.director(s, "d1").startWait(Duration.ofSeconds(60)));
      try {
        Node.sleep(2500); // etcd answers, the key is missing: several tries meanwhile
        assertThat(started).as("still waiting for the key").isNotDone();
        assertThat(n.writes()).as("nothing started while waiting").isEmpty();
        assertThat(s.directors()).as("not registered while waiting").isEmpty();
        long first = s.put(A, OptionalLong.empty());
        try (FleetDirector d = started.get(60, TimeUnit.SECONDS)) {
          assertThat(d.status().appliedRevision()).isEqualTo(first);
          assertThat(n.writes()).contains("-A -t 10.0.0.1:80 -s rr", "-a -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 1");
          long second = s.put(Node.conf("10.0.0.1=10.1.0.1,10.1.0.3"), OptionalLong.empty());
          Node.await(d, x -> x.appliedRevision() == second, "the second put applied through the watch");
          assertThat(n.writes()).contains("-d -t 10.0.0.1:80 -r 10.1.0.2:80", "-a -t 10.0.0.1:80 -r 10.1.0.3:80 -m -w 1");
        }
      } finally {
        started.cancel(true);
      }
    }
  }

  @Test
  void start_keyNotStored_startWaitPassed_failsNamingTheKey_nothingStarted() throws Exception {
    Node n = new Node();
    try (EtcdProcess etcd = EtcdProcess.launch();
        FleetStore s = FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-test/neverStored")) {
      CompletableFuture<FleetDirector> started = starting(n.director(s, "d1").startWait(Duration.ofSeconds(2)));
      Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> started.get(60, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(IOException.class)
          .hasMessageContaining("etcd key /lbkit-test/neverStored does not exist").hasMessageContaining("tried for");
      assertThat(n.writes()).isEmpty();
      assertThat(s.directors()).isEmpty();
    }
  }

  @Test
  void start_waitingForEtcd_interrupted_endsAtOnce_nothingStarted() throws Exception {
    Node n = new Node();
    try (FleetStore s = FleetStore.connect(List.of(nothingListening()), "/lbkit-test/interrupted")) {
      // the client's first call sets up gRPC (classes, channel), which can swallow an interrupt: done here first
      org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> s.await("warm-up",
          s.client().getKVClient().get(FleetStore.bytes("/k")), Duration.ofMillis(500)));
      Thread[] t = new Thread[1];
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      t[0] = new Thread(() -> {
        try {
          n.director(s, "d1").startWait(ChronoUnit.FOREVER.getDuration()).start().close();
          failed.complete(null);
        } catch (IOException | RuntimeException e) {
          failed.complete(e);
        }
      }, "test-start");
      t[0].start();
      Node.sleep(1500);
      assertThat(failed).as("still waiting").isNotDone();
      long before = System.nanoTime();
      t[0].interrupt();
      Throwable e;
      try {
        e = failed.get(9, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException x) {
        AssertionError a = new AssertionError("start did not end within 9 s of the interrupt; it is here:");
        a.setStackTrace(t[0].getStackTrace());
        throw a;
      }
      // at once: not after a try's deadline (FleetStore.TIMEOUT, 10 s); 5 s for a loaded host
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
      assertThat(e).isInstanceOf(InterruptedIOException.class);
      assertThat(n.writes()).isEmpty();
      t[0].join(5000);
    }
  }

  @Test
  void start_etcdDown_startWaitPassed_failsNamingTheEndpoint() throws Exception {
    URI none = nothingListening();
    try (FleetStore s = FleetStore.connect(List.of(none), "/lbkit-test/deadline")) {
      long before = System.nanoTime();
      CompletableFuture<FleetDirector> started = starting(new Node().director(s, "d1").startWait(Duration.ofSeconds(1)));
      Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> started.get(60, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessageContaining(none.getAuthority())
          .hasMessageContaining("tried for");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).as("one try's deadline past the wait at most (+10 s"
          + " for a cold gRPC client on a loaded host)").isLessThan(FleetStore.TIMEOUT.plusSeconds(11));
    }
  }

  @Test
  void startWait_negative_refused() {
    try (FleetStore s = FleetStore.connect(List.of(URI.create("http://127.0.0.1:1")), "/k")) {
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> FleetDirector.builder(s, "d1").startWait(Duration.ofSeconds(-1)))
          .withMessageContaining("PT-1S");
    }
  }

  private static CompletableFuture<FleetDirector> starting(FleetDirector.Builder b) {
    CompletableFuture<FleetDirector> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(b.start());
      } catch (IOException | RuntimeException e) {
        f.completeExceptionally(e);
      }
    }, "test-start");
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** A loopback port nothing listens on (bound, then closed). */
  private static URI nothingListening() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }
}

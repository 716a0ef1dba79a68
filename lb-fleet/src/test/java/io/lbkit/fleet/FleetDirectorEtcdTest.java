package io.lbkit.fleet;

import static io.lbkit.fleet.Node.await;
import static io.lbkit.fleet.Node.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.harness.etcd.EtcdProcess;
import io.lbkit.harness.etcd.TcpCutter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link FleetDirector} against a real etcd: following changes, etcd faults, bad configs, compaction, the lease. */
class FleetDirectorEtcdTest {
  static final String A = Node.conf("10.0.0.1=10.1.0.1,10.1.0.2");
  static final String B = Node.conf("10.0.0.1=10.1.0.1,10.1.0.3");
  static EtcdProcess etcd;

  @BeforeAll
  static void etcd() {
    etcd = EtcdProcess.launch();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) {
      etcd.close();
    }
  }

  static FleetStore store(TestInfo t) {
    return FleetStore.connect(List.of(etcd.endpoint()), key(t));
  }

  static String key(TestInfo t) {
    return "/lbkit-test/" + t.getTestMethod().orElseThrow().getName();
  }

  @Test
  void start_appliesStoredConfig_registers_announcesItsVip(TestInfo t) throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t)) {
      long rev = s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        assertThat(n.writes()).containsExactly("-A -t 10.0.0.1:80 -s rr", "-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1",
            "-a -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 1");
        DirectorStatus st = await(d, x -> !x.announced().isEmpty(), "announced");
        assertThat(st.appliedRevision()).isEqualTo(rev);
        assertThat(n.announced()).containsExactly(ip("10.0.0.1"));
        // its entry in etcd follows its local status (a put of its own): wait until it shows the announcement
        List<DirectorStatus> fleet = awaitListed(s, x -> !x.announced().isEmpty());
        assertThat(fleet).singleElement().satisfies(x -> {
          assertThat(x.name()).isEqualTo("d1");
          assertThat(x.appliedRevision()).isEqualTo(rev);
          assertThat(x.announced()).containsExactly("10.0.0.1");
          assertThat(x.health()).containsEntry("TCP 10.0.0.1:80 10.1.0.1:80", "up");
        });
      }
      assertThat(n.announced()).as("graceful stop withdraws").isEmpty();
      assertThat(s.directors()).as("graceful stop deregisters at once").isEmpty();
    }
  }

  @Test
  void put_changedConfig_appliedAsTheMinimalDiff_sameText_zeroWrites(TestInfo t) throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t)) {
      s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        n.ipvs.clearLog();
        long r2 = s.put(B, OptionalLong.empty());
        await(d, x -> x.appliedRevision() == r2, "revision " + r2 + " applied");
        assertThat(n.writes()).containsExactly("-d -t 10.0.0.1:80 -r 10.1.0.2:80",
            "-a -t 10.0.0.1:80 -r 10.1.0.3:80 -m -w 1");
        n.ipvs.clearLog();
        long r3 = s.put(B, OptionalLong.empty());
        DirectorStatus st = await(d, x -> x.appliedRevision() == r3, "revision " + r3 + " applied");
        assertThat(n.writes()).as("the same text again: nothing written").isEmpty();
        assertThat(st.current()).isTrue();
      }
    }
  }

  @Test
  void configWrittenBehindPutsBack_withErrors_keptOut_errorReported_thenFixed(TestInfo t) throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t); Client raw = Client.builder().endpoints(etcd.endpoint()).build()) {
      long r1 = s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        await(d, x -> !x.announced().isEmpty(), "announced");
        n.ipvs.clearLog();
        raw.getKVClient().put(FleetStore.bytes(key(t)), FleetStore.bytes(A.replace(" 80 {\n    weight",
            " 99999 {\n    weight"))).get();
        DirectorStatus st = await(d, x -> !x.configError().isEmpty(), "error reported");
        assertThat(st.configError()).contains("not applied (keeping " + r1 + ")").contains(":5: error: real_server 99999 is out of range");
        assertThat(st.appliedRevision()).isEqualTo(r1);
        assertThat(n.writes()).as("nothing of the bad revision applied").isEmpty();
        assertThat(st.announced()).as("a rejected revision does not withdraw").containsExactly("10.0.0.1");
        assertThat(awaitListed(s, x -> !x.configError().isEmpty()).get(0).configError()).contains("not applied");

        long r3 = s.put(B, OptionalLong.empty());
        st = await(d, x -> x.appliedRevision() == r3, "the fixed revision applied");
        assertThat(st.configError()).isEmpty();
      }
    }
  }

  @Test
  void dataplanePartlyFailed_notReportedApplied_withdrawn_thenRetriedByTheProbe(TestInfo t) throws Exception {
    Node n = new Node();
    n.ipvs.withoutScheduler("sh"); // the kernel refuses sh every time (ENOENT), as without its module
    try (FleetStore s = store(t)) {
      long r1 = s.put(Node.two("rr", "10.1.0.1"), OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        await(d, x -> x.announced().size() == 2, "both VIPs announced");
        long r2 = s.put(Node.two("sh", "10.1.0.9"), OptionalLong.empty());
        DirectorStatus st = await(d, x -> x.latestRevision() == r2 && !x.configError().isEmpty(), "partial reported");
        assertThat(st.appliedRevision()).as("a partly applied revision is not applied").isEqualTo(r1);
        assertThat(st.current()).isFalse();
        assertThat(st.configError()).startsWith("revision " + r2 + " partly applied (keeping " + r1 + ")");
        assertThat(await(d, x -> x.announced().isEmpty(), "withdrawn").announced()).isEmpty();
        assertThat(n.announced()).isEmpty();
        assertThat(awaitDirectors(s, 1).get(0).appliedRevision()).as("fleet status").isEqualTo(r1);

        n.ipvs.withScheduler("sh");
        st = await(d, x -> x.appliedRevision() == r2 && x.announced().size() == 2, "applied by a probe's retry");
        assertThat(st.configError()).isEmpty();
        assertThat(st.current()).isTrue();
      }
    }
  }

  @Test
  void lastRealServerDown_withdrawsTheVip_upAgain_announces(TestInfo t) throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t)) {
      s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        await(d, x -> !x.announced().isEmpty(), "announced");
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80);
        n.checks.down(svc, RealServerKey.of("10.1.0.1", 80), "connect refused");
        assertThat(await(d, x -> x.health().get("TCP 10.0.0.1:80 10.1.0.1:80").startsWith("down"), "down")
            .announced()).as("one real server still up").containsExactly("10.0.0.1");
        n.checks.down(svc, RealServerKey.of("10.1.0.2", 80), "connect refused");
        await(d, x -> x.announced().isEmpty(), "withdrawn with no real server up");
        assertThat(n.announced()).isEmpty();
        n.checks.up(svc, RealServerKey.of("10.1.0.2", 80), "ok");
        await(d, x -> !x.announced().isEmpty(), "announced again");
      }
    }
  }

  @Test
  void vipRemovedFromTheSpec_withdrawn(TestInfo t) throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t)) {
      s.put(Node.conf("10.0.0.1=10.1.0.1", "10.0.0.2=10.1.0.2"), OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        await(d, x -> x.announced().size() == 2, "both announced");
        s.put(Node.conf("10.0.0.2=10.1.0.2"), OptionalLong.empty());
        await(d, x -> x.announced().equals(List.of("10.0.0.2")), "10.0.0.1 withdrawn");
        assertThat(n.announced()).isEqualTo(Set.of(ip("10.0.0.2")));
      }
    }
  }

  @Test
  void etcdStopped_keepsServing_noWrites_noWithdraw_warns_thenResumesWithZeroWrites_andFollowsAgain(TestInfo t)
      throws Exception {
    Node n = new Node();
    try (FleetStore s = store(t)) {
      long r1 = s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(s, "d1").start()) {
        await(d, x -> !x.announced().isEmpty(), "announced");
        n.ipvs.clearLog();
        int announcements = n.announcements.size();
        etcd.stop();
        try {
          DirectorStatus st = await(d, x -> !x.etcdReachable(), "etcd unreachable noticed");
          assertThat(st.etcdProblem()).startsWith("unreachable since ");
          Node.sleep(1500); // several probes while down
          assertThat(d.status().appliedRevision()).isEqualTo(r1);
        } finally {
          etcd.start();
        }
        await(d, DirectorStatus::etcdReachable, "etcd reachable again");
        Node.sleep(1000); // the resumed watch has nothing to deliver
        assertThat(n.writes()).as("no dataplane write during or after the outage").isEmpty();
        assertThat(n.announcements).as("no withdraw, no re-announce").hasSize(announcements);
        assertThat(awaitDirectors(s, 1)).singleElement().satisfies(x -> assertThat(x.etcdReachable()).isTrue());

        long r2 = s.put(B, OptionalLong.empty());
        await(d, x -> x.appliedRevision() == r2, "the resumed watch follows changes");
      }
    }
  }

  @Test
  void partitioned_whileChangedAndCompacted_readsTheKeyAgain(TestInfo t) throws Exception {
    Node n = new Node();
    try (TcpCutter cutter = TcpCutter.to(etcd.clientPort());
        FleetStore s = store(t);
        FleetStore viaCutter = FleetStore.connect(List.of(cutter.endpoint()), key(t))) {
      s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(viaCutter, "d1").start()) {
        await(d, x -> !x.announced().isEmpty(), "announced");
        cutter.cut();
        await(d, x -> !x.etcdReachable(), "partition noticed");
        s.put(Node.conf("10.0.0.1=10.1.0.9"), OptionalLong.empty());
        long last = s.put(B, OptionalLong.empty());
        try (Client raw = Client.builder().endpoints(etcd.endpoint()).build()) {
          raw.getKVClient().compact(last).get();
        }
        n.ipvs.clearLog();
        cutter.restore();
        DirectorStatus st = await(d, x -> x.appliedRevision() == last, "the compacted history re-read");
        assertThat(n.writes()).as("straight to the newest revision").containsExactly(
            "-d -t 10.0.0.1:80 -r 10.1.0.2:80", "-a -t 10.0.0.1:80 -r 10.1.0.3:80 -m -w 1");
        assertThat(st.etcdReachable()).isTrue();
      }
    }
  }

  @Test
  void directorCutOffForGood_itsEntryGoesWithTheLease(TestInfo t) throws Exception {
    Node n = new Node();
    try (TcpCutter cutter = TcpCutter.to(etcd.clientPort());
        FleetStore s = store(t);
        FleetStore viaCutter = FleetStore.connect(List.of(cutter.endpoint()), key(t))) {
      s.put(A, OptionalLong.empty());
      try (FleetDirector d = n.director(viaCutter, "d1").start();
          FleetDirector d2 = new Node().director(s, "d2").start()) {
        assertThat(awaitDirectors(s, 2)).extracting(DirectorStatus::name).containsExactly("d1", "d2");
        cutter.cut(); // as a killed director: no keep-alive, no revoke
        // until exactly d2 is listed (30 s at most: etcd expires leases late on a loaded host, and d2's entry may
        // miss a keep-alive there and come back at its next probe: a wait for "at most one" could see none)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!s.directors().stream().map(DirectorStatus::name).toList().equals(List.of("d2"))
            && System.nanoTime() < deadline) {
          Node.sleep(100);
        }
        assertThat(s.directors()).extracting(DirectorStatus::name).containsExactly("d2");
      }
    }
  }

  static List<DirectorStatus> awaitDirectors(FleetStore s, int count) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<DirectorStatus> l = s.directors();
    while (l.size() != count && System.nanoTime() < deadline) {
      Node.sleep(50);
      l = s.directors();
    }
    assertThat(l).hasSize(count);
    return l;
  }

  /**
   * The one listed director once {@code shown} holds for its entry (30 s at most): a director's entry in etcd follows
   * its local status by a put of its own, so it can lag what {@link FleetDirector#status()} already says.
   */
  static List<DirectorStatus> awaitListed(FleetStore s, java.util.function.Predicate<DirectorStatus> shown)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<DirectorStatus> l = awaitDirectors(s, 1);
    while (!shown.test(l.get(0)) && System.nanoTime() < deadline) {
      Node.sleep(50);
      l = awaitDirectors(s, 1);
    }
    return l;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}

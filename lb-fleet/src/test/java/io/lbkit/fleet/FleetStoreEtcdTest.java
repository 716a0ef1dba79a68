package io.lbkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.harness.etcd.EtcdProcess;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link FleetStore} against a real etcd (Debian's etcd-server, started by the test). */
class FleetStoreEtcdTest {
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
    return FleetStore.connect(List.of(etcd.endpoint()), "/lbkit-test/" + t.getDisplayName());
  }

  @Test
  void put_validConfig_storedAndReadBackAtItsRevision(TestInfo t) throws Exception {
    try (FleetStore s = store(t)) {
      String text = Node.conf("10.0.0.1=10.1.0.1,10.1.0.2");
      long rev = s.put(text, OptionalLong.empty());
      assertThat(s.read()).hasValueSatisfying(c -> {
        assertThat(c.text()).isEqualTo(text);
        assertThat(c.revision()).isEqualTo(rev);
      });
    }
  }

  @Test
  void put_configWithErrors_throwsWithLine_nothingWritten(TestInfo t) throws Exception {
    try (FleetStore s = store(t)) {
      String bad = "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  real_server 10.1.0.1 99999 {\n  }\n}\n";
      assertThatThrownBy(() -> s.put(bad, OptionalLong.empty())).isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining(":3: error:");
      assertThat(s.read()).isEmpty();
    }
  }

  @Test
  void put_include_refusedAsAnError(TestInfo t) throws Exception {
    try (FleetStore s = store(t)) {
      List<Diagnostic> d = FleetStore.check("include /etc/keepalived/other.conf\n", "site.conf");
      assertThat(d).anySatisfy(x -> {
        assertThat(x.isError()).isTrue();
        assertThat(x.format()).startsWith("site.conf:1: error: include is not supported");
      });
      assertThatThrownBy(() -> s.put("include /etc/passwd\n", OptionalLong.empty()))
          .isInstanceOf(InvalidConfigException.class);
      assertThat(s.read()).isEmpty();
    }
  }

  @Test
  void put_ifRevision_matching_stores_stale_refusesAndKeeps(TestInfo t) throws Exception {
    try (FleetStore s = store(t)) {
      String a = Node.conf("10.0.0.1=10.1.0.1");
      String b = Node.conf("10.0.0.1=10.1.0.2");
      long r1 = s.put(a, OptionalLong.of(0)); // create only
      assertThatThrownBy(() -> s.put(b, OptionalLong.of(0))).isInstanceOf(RevisionMismatchException.class)
          .hasMessageContaining("exists already");
      long r2 = s.put(b, OptionalLong.of(r1));
      assertThat(r2).isGreaterThan(r1);
      assertThatThrownBy(() -> s.put(a, OptionalLong.of(r1))).isInstanceOf(RevisionMismatchException.class)
          .hasMessageContaining("no longer at revision " + r1);
      assertThat(s.read().orElseThrow().text()).isEqualTo(b);
    }
  }

  @Test
  void read_etcdUnreachable_failsWithinTheDeadline_namingTheEndpoint() {
    URI nobody = URI.create("http://127.0.0.1:9"); // discard port: nothing listens
    try (FleetStore s = FleetStore.connect(List.of(nobody), "/lbkit-test/x")) {
      long t0 = System.nanoTime();
      assertThatThrownBy(s::read).isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:9");
      // ends by its deadline, not never (jetcd retries an unreachable endpoint): 20 s past it for a cold gRPC
      // client on a loaded host
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(FleetStore.TIMEOUT.toMillis() + 20_000);
    }
  }

  @Test
  void connect_badEndpoint_refusedWithTheValue() {
    assertThatThrownBy(() -> FleetStore.connect(List.of(URI.create("etcd.example:2379")), "/k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etcd.example:2379");
  }

  @Test
  void directorStatus_encodeDecode_roundTrips() {
    DirectorStatus s = new DirectorStatus("d1", 7, 9, false, "unreachable since x: y=z\nw", "rev 9: bad",
        List.of("10.0.0.2", "10.0.0.1"), java.util.Map.of("TCP 10.0.0.1:80 10.1.0.1:80", "down: connect refused"));
    assertThat(DirectorStatus.decode(s.encode())).isEqualTo(s);
    assertThat(s.announced()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(s.toJson()).startsWith("{\"name\":\"d1\",\"appliedRevision\":7,\"latestRevision\":9,\"current\":false");
  }
}

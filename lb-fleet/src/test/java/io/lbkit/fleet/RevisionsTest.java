package io.lbkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.runtime.LoadBalancerRuntime;
import org.junit.jupiter.api.Test;

/** {@link Revisions} on lb-testing's fake IPVS, without etcd: what is written for each revision seen. */
class RevisionsTest {
  static final String A = Node.conf("10.0.0.1=10.1.0.1,10.1.0.2");
  static final String B = Node.conf("10.0.0.1=10.1.0.1,10.1.0.3");

  @Test
  void newerText_reloadedAsTheDiff_sameTextAgain_nothingWritten_advancesTheRevision() throws Exception {
    Node n = new Node();
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(A, "a"))) {
      r.started(rt, A, 5);
      n.ipvs.clearLog();
      r.apply(B, 6);
      assertThat(n.writes()).containsExactly("-d -t 10.0.0.1:80 -r 10.1.0.2:80",
          "-a -t 10.0.0.1:80 -r 10.1.0.3:80 -m -w 1");
      n.ipvs.clearLog();
      r.apply(B, 7);
      assertThat(n.writes()).isEmpty();
      assertThat(r.applied()).isEqualTo(7);
      assertThat(r.holdsNewest()).isTrue();
    }
  }

  @Test
  void olderOrSeenRevision_ignored() throws Exception {
    Node n = new Node();
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(A, "a"))) {
      r.started(rt, A, 5);
      n.ipvs.clearLog();
      r.apply(B, 5);
      r.apply(B, 3);
      assertThat(n.writes()).isEmpty();
      assertThat(r.applied()).isEqualTo(5);
    }
  }

  @Test
  void textWithErrors_keptOut_reported_stillHoldsNewestValid_thenAGoodOneApplies() throws Exception {
    Node n = new Node();
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(A, "a"))) {
      r.started(rt, A, 5);
      n.ipvs.clearLog();
      r.apply("virtual_server 10.0.0.1 80 {\n  real_server 10.1.0.1 99999 {\n  }\n}\n", 6);
      assertThat(n.writes()).isEmpty();
      assertThat(r.applied()).isEqualTo(5);
      assertThat(r.latest()).isEqualTo(6);
      assertThat(r.error()).startsWith("revision 6 not applied (keeping 5): /k@6:2: error: ");
      assertThat(r.holdsNewest()).as("a rejected revision does not withdraw").isTrue();
      r.apply(B, 7);
      assertThat(r.applied()).isEqualTo(7);
      assertThat(r.error()).isEmpty();
    }
  }

  @Test
  void keyDeleted_keepsTheRevision_reportsIt() throws Exception {
    Node n = new Node();
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(A, "a"))) {
      r.started(rt, A, 5);
      n.ipvs.clearLog();
      r.deleted(8);
      assertThat(n.writes()).isEmpty();
      assertThat(r.error()).isEqualTo("key /k deleted at revision 8: keeping revision 5");
    }
  }
}

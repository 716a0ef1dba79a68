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

  @Test
  void dataplanePartlyFailed_notApplied_doesNotHoldNewest_errorNamesTheChange() throws Exception {
    Node n = new Node();
    n.ipvs.withoutScheduler("sh"); // the kernel refuses sh (ENOENT), as without its module, every time asked
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(Node.two("rr", "10.1.0.1"), "a"))) {
      r.started(rt, Node.two("rr", "10.1.0.1"), 5);
      n.ipvs.clearLog();
      r.apply(Node.two("sh", "10.1.0.9"), 6);
      assertThat(n.writes()).as("the first service's change made, the second's refused")
          .contains("-a -t 10.0.0.1:80 -r 10.1.0.9:80 -m -w 1").noneMatch(w -> w.contains("-s sh"));
      assertThat(r.applied()).as("a partly applied revision is not applied").isEqualTo(5);
      assertThat(r.latest()).isEqualTo(6);
      assertThat(r.partial()).isTrue();
      assertThat(r.holdsNewest()).as("so the VIPs are not announced for it").isFalse();
      assertThat(r.error()).startsWith("revision 6 partly applied (keeping 5): 1 change(s) failed, first: ")
          .contains("10.0.0.2:80").contains("retried at each probe");

      r.retry();
      assertThat(r.applied()).as("still refused").isEqualTo(5);
      n.ipvs.withScheduler("sh");
      n.ipvs.clearLog();
      r.retry();
      assertThat(n.writes()).as("only what had failed is written").singleElement().asString().contains("-s sh");
      assertThat(r.applied()).isEqualTo(6);
      assertThat(r.partial()).isFalse();
      assertThat(r.holdsNewest()).isTrue();
      assertThat(r.error()).isEmpty();
    }
  }

  @Test
  void dataplanePartlyFailed_thenTheSameTextAgain_notCountedAsApplied() throws Exception {
    Node n = new Node();
    n.ipvs.withoutScheduler("sh");
    Revisions r = new Revisions("d1", "/k");
    try (LoadBalancerRuntime rt = n.runtime().start(FleetConfig.spec(Node.two("rr", "10.1.0.1"), "a"))) {
      r.started(rt, Node.two("rr", "10.1.0.1"), 5);
      r.apply(Node.two("sh", "10.1.0.1"), 6);
      r.apply(Node.two("sh", "10.1.0.1"), 7); // the runtime holds this spec already: a reload alone would write nothing
      assertThat(r.applied()).isEqualTo(5);
      assertThat(r.error()).startsWith("revision 7 partly applied (keeping 5)");
      r.apply(Node.two("rr", "10.1.0.3"), 8); // a newer text that needs no sh: the earlier failure is checked too
      assertThat(r.applied()).isEqualTo(8);
      assertThat(r.partial()).isFalse();
      assertThat(r.holdsNewest()).isTrue();
    }
  }
}

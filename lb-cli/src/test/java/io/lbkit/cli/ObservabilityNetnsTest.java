package io.lbkit.cli;

import static io.lbkit.cli.RunPair.await;
import static io.lbkit.cli.RunPair.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: two {@code lbctl run --http} processes with two VRRP instances and a
 * virtual server on nftables ({@link RunPair}): /metrics moves as a real server dies and
 * the master stops, /events tells those changes in order, and the VRRP password appears
 * in none of /metrics, /status, /events, the page or the output.
 */
class ObservabilityNetnsTest {
  @TempDir Path dir;

  @Test
  void masterStopsAndRealServerDies_metricsAndEventsFollow_secretNowhere() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    try (RunPair pair = new RunPair(dir)) {
      String vi1 = "iname=\"VI_1\"";
      String vi2 = "iname=\"VI_2\"";
      assertThat(await(20_000, () -> state(pair.a, vi1) == 2 && state(pair.a, vi2) == 2))
          .as("A becomes master of both; output:\n%s", pair.a.output()).isTrue();
      assertThat(state(pair.b, vi1)).isEqualTo(1);
      assertThat(state(pair.b, vi2)).isEqualTo(1);
      String dead = "remote_port=\"" + pair.reals[1].port + "\"";
      assertThat(await(10_000, () -> value(pair.a, "lbkit_ipvs_backend_up", dead) == 1)).isTrue();
      double sentBefore = value(pair.a, "lbkit_vrrp_adverts_sent_total", vi1);
      // under load B may have been master for a moment before A's first adverts: count from here
      double becameBefore1 = value(pair.b, "lbkit_vrrp_become_master_total", vi1);
      double becameBefore2 = value(pair.b, "lbkit_vrrp_become_master_total", vi2);
      assertThat(becameBefore1).as("B's become_master for VI_1 is served").isNotNaN();
      assertThat(becameBefore2).as("B's become_master for VI_2 is served").isNotNaN();
      assertThat(sentBefore).isPositive();
      pair.a.follow();
      pair.b.follow();

      pair.reals[1].kill();
      assertThat(await(10_000, () -> value(pair.a, "lbkit_ipvs_backend_up", dead) == 0))
          .as("A sees the real server down; output:\n%s", pair.a.output()).isTrue();
      String scrape = pair.a.get("metrics");
      assertThat(sample(scrape, "lbkit_ipvs_backend_weight", dead)).isZero();
      assertThat(sample(scrape, "lbkit_ipvs_backend_weight_configured", dead)).isEqualTo(2);
      assertThat(sample(scrape, "lbkit_check_results_total", dead, "outcome=\"down\"")).isGreaterThanOrEqualTo(1);
      assertThat(sample(scrape, "lbkit_reconcile_operations_total", "cause=\"health\"")).isGreaterThanOrEqualTo(1);
      assertThat(sample(scrape, "lbkit_vrrp_adverts_sent_total", vi1)).isGreaterThan(sentBefore);
      assertThat(await(20_000, () -> pair.a.events.stream().anyMatch(e -> e.contains("\"type\":\"health\"")
          && e.contains(pair.reals[1].key()) && e.contains("\"up\":false")))).as("A's events: %s", pair.a.events)
          .isTrue();

      assertThat(pair.a.stop()).as("A stops on SIGTERM").isTrue();
      assertThat(pair.a.process.exitValue()).as("A's status after SIGTERM (0, as keepalived's)").isZero();
      assertThat(await(15_000, () -> state(pair.b, vi1) == 2 && state(pair.b, vi2) == 2))
          .as("B takes over; output:\n%s", pair.b.output()).isTrue();
      scrape = pair.b.get("metrics");
      java.nio.file.Files.createDirectories(Path.of("target", "browser"));
      java.nio.file.Files.writeString(Path.of("target", "browser", "metrics-after-failover.txt"), scrape);
      assertThat(sample(scrape, "lbkit_vrrp_become_master_total", vi1)).isEqualTo(becameBefore1 + 1);
      assertThat(sample(scrape, "lbkit_vrrp_become_master_total", vi2)).isEqualTo(becameBefore2 + 1);
      assertThat(sample(scrape, "lbkit_vrrp_adverts_received_total", vi1)).isPositive();
      assertThat(await(20_000, () -> pair.b.events.stream().filter(e -> e.contains("\"to\":\"MASTER\"")).count() == 2))
          .as("B's events: %s", pair.b.events).isTrue();
      assertInOrder(pair.a.events);
      assertInOrder(pair.b.events);
      int down = indexOf(pair.a.events, "\"up\":false");
      int repaired = indexOf(pair.a.events, "\"type\":\"reconcile\",\"cause\":\"health\"");
      assertThat(down).as("A's events: %s", pair.a.events).isNotNegative();
      assertThat(repaired).as("the dataplane change, then the health event told after it: %s", pair.a.events)
          .isEqualTo(down - 1);
      int t1 = indexOf(pair.b.events, "\"instance\":\"VI_1\",\"from\":\"BACKUP\",\"to\":\"MASTER\"");
      int t2 = indexOf(pair.b.events, "\"instance\":\"VI_2\",\"from\":\"BACKUP\",\"to\":\"MASTER\"");
      assertThat(t1).as("VRRPv3 at 0.2 s takes over before VRRPv2 at 1 s: %s", pair.b.events).isNotNegative()
          .isLessThan(t2);

      String everything = String.join("\n", pair.b.get("metrics"), pair.b.get("status"), pair.b.get(""),
          pair.b.get("app.js"), pair.b.get("table"), String.join("\n", pair.a.events), String.join("\n",
              pair.b.events), pair.a.output(), pair.b.output());
      assertThat(everything).doesNotContain(RunPair.SECRET);
    }
  }

  static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),\"time\":\"([^\"]+)\"");

  /** Sequence numbers rise by one from the first event seen, and times never go back. */
  static void assertInOrder(List<String> events) {
    List<Long> seqs = new ArrayList<>();
    String lastTime = "";
    for (String e : events) {
      Matcher m = SEQ.matcher(e);
      assertThat(m.find()).as(e).isTrue();
      seqs.add(Long.parseLong(m.group(1)));
      assertThat(java.time.Instant.parse(m.group(2))).isAfterOrEqualTo(lastTime.isEmpty() ? java.time.Instant.EPOCH
          : java.time.Instant.parse(lastTime));
      lastTime = m.group(2);
    }
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("event %s follows %s", i, i - 1).isEqualTo(seqs.get(i - 1) + 1);
    }
  }

  static int indexOf(List<String> events, String text) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  static double state(RunPair.Lb lb, String instance) {
    return value(lb, "lbkit_vrrp_state", instance);
  }

  static double value(RunPair.Lb lb, String metric, String... labels) {
    try {
      Double v = sample(lb.get("metrics"), metric, labels);
      return v == null ? Double.NaN : v;
    } catch (Exception e) {
      return Double.NaN; // not serving (yet, or any more): the caller's wait goes on
    }
  }
}

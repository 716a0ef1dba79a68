package io.lbkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo live: the whole timeline runs (real web servers, real checks, real
 * VRRP routers); the assertions are on what it prints, never on how fast (each wait in
 * the demo has a deadline of 15-20 s, far above what a loaded machine needs).
 */
class DemoTest {
  static final String ROUTE_62_UP = "  -> 192.168.0.62:80              Route   1      0          0";
  static final String ROUTE_61_UP = "  -> 192.168.0.61:80              Route   1      0          0";
  static final String ROUTE_61_DOWN = "  -> 192.168.0.61:80              Route   0      0          0";

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    try {
      return new Demo().run(java.util.Arrays.asList(args).subList(1, args.length),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The key lines, in timeline order: a master, the seed's table, weight 0, back to 1, the takeover. */
  static void assertSeedTimeline(String o) {
    assertThat(o).containsPattern("director-[12] is MASTER, director-[12] is BACKUP");
    int master = o.indexOf(" is MASTER, ");
    int seedTable = o.indexOf("  TCP  192.168.0.200:80 rr\n", master);
    assertThat(seedTable).as("the seed's table after the election").isPositive();
    assertThat(o.substring(seedTable)).startsWith(
        "  TCP  192.168.0.200:80 rr\n           " + ROUTE_62_UP + "         \n           " + ROUTE_61_UP);
    int stopped = o.indexOf("stopping web server shizune");
    int down = o.indexOf("check of 192.168.0.61:80: DOWN", stopped);
    int inhibit = o.indexOf("ipvsadm -e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0", down);
    int weight0 = o.indexOf(ROUTE_61_DOWN, inhibit);
    int up = o.indexOf("check of 192.168.0.61:80: UP", weight0);
    int weight1 = o.indexOf(ROUTE_61_UP, up);
    int takeover = o.indexOf("takeover: director-", weight1);
    assertThat(List.of(stopped, down, inhibit, weight0, up, weight1, takeover)).as(o).allMatch(i -> i > 0);
    String oldMaster = o.substring(master - 10, master);
    assertThat(o.substring(takeover)).as("the other director takes over")
        .doesNotStartWith("takeover: " + oldMaster.strip());
    assertThat(o).contains("cleaned up");
  }

  @Test
  void inprocess_runsTheSeedTimeline_electionFailedCheckRecoveryAndTakeover() {
    assertThat(run("demo", "--mode", "inprocess")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String o = output();
    assertThat(o).contains("mode inprocess", "timings shortened", "web server shizune plays real server 192.168.0.61:80, listening on 127.0.0.1:", "shizune webserv");
    assertSeedTimeline(o);
    assertThat(o).contains("inet 192.168.0.200/32");
  }

  @Test
  void netns_runsTheSeedTimelineOnRawSockets_andLeavesNoNamespace() {
    Tiers.requireRoot("the demo creates network namespaces and raw sockets");
    assertThat(run("demo", "--mode", "netns")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String o = output();
    assertSeedTimeline(o);
    assertThat(o).containsPattern("director-[12] \\$ ip -n lbt-\\w+-d[12] -o addr show dev eth0\n"
        + "               inet 192\\.168\\.0\\.[12]/24\n               inet 192\\.168\\.0\\.200/32");
    Matcher m = Pattern.compile("cleaned up: namespaces (lbt-\\w+-d1) (lbt-\\w+-d2) deleted").matcher(o);
    assertThat(m.find()).as(o).isTrue();
    String list = Exec.run(Duration.ofSeconds(10), "ip", "netns", "list").orThrow().stdout();
    assertThat(list).doesNotContain(m.group(1)).doesNotContain(m.group(2));
  }

  @Test
  void namespaces_createThenClose_leaveNothing() {
    Tiers.requireRoot("creates network namespaces");
    DemoNamespaces ns = DemoNamespaces.create();
    List<String> names = ns.names();
    try {
      assertThat(String.join("\n", ns.addressLines(1))).contains("inet 192.168.0.2/24");
    } finally {
      ns.close();
    }
    String list = Exec.run(Duration.ofSeconds(10), "ip", "netns", "list").orThrow().stdout();
    assertThat(list).doesNotContain(names.get(0)).doesNotContain(names.get(1));
  }

  @Test
  void unknownArguments_exit2WithUsage() {
    assertThat(run("demo", "--mode", "warp")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown arguments [--mode, warp]", "demo [--fake | --mode inprocess|netns|kernel|nftables|fake]");
  }
}

package io.lbkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link GobgpAnnouncer} against {@link FakeGobgp} (a global RIB behind the gobgp client), and its command runner. */
class GobgpAnnouncerTest {
  final FakeGobgp gobgp = new FakeGobgp();
  final GobgpAnnouncer announcer = GobgpAnnouncer.of(FakeGobgp.CLIENT, gobgp);

  static Set<InetAddress> ips(String... s) {
    return java.util.Arrays.stream(s).map(Inet::parse).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void announce_emptyRib_addsEachVipAsHostPrefixOfItsFamily() throws IOException {
    announcer.announce(ips("10.0.0.1", "2001:db8::1"));
    assertThat(gobgp.rib).containsOnlyKeys("10.0.0.1/32", "2001:db8::1/128");
    assertThat(gobgp.commands).contains("global rib add -a ipv4 10.0.0.1/32", "global rib add -a ipv6 2001:db8::1/128");
    assertThat(announcer.announced()).containsExactly("10.0.0.1", "2001:db8::1");
  }

  @Test
  void announce_sameSetAgain_onlyReadsBack() throws IOException {
    announcer.announce(ips("10.0.0.1", "2001:db8::1"));
    gobgp.commands.clear();
    announcer.announce(ips("10.0.0.1", "2001:db8::1"));
    assertThat(gobgp.commands).containsExactly("global rib -a ipv4 -j", "global rib -a ipv6 -j");
  }

  @Test
  void announce_smallerSet_deletesOnlyTheVipsLeft() throws IOException {
    announcer.announce(ips("10.0.0.1", "10.0.0.2", "2001:db8::1"));
    gobgp.commands.clear();
    announcer.announce(ips("10.0.0.2"));
    assertThat(gobgp.rib).containsOnlyKeys("10.0.0.2/32");
    assertThat(gobgp.commands).containsExactly("global rib -a ipv4 -j", "global rib -a ipv6 -j",
        "global rib del -a ipv4 10.0.0.1/32", "global rib del -a ipv6 2001:db8::1/128");
  }

  @Test
  void announce_afterDirectorRestart_keepsWhatIsThereDeletesStaleAndLeavesLearnedAndShorterPaths()
      throws IOException {
    gobgp.rib.putAll(Map.of("10.0.0.1/32", "", "10.0.0.9/32", "", "2001:db8::9/128", "",
        "10.0.0.5/32", "10.99.0.1", "10.5.0.0/24", ""));
    announcer.announce(ips("10.0.0.1", "10.0.0.2"));
    assertThat(gobgp.commands).containsExactly("global rib -a ipv4 -j", "global rib -a ipv6 -j",
        "global rib add -a ipv4 10.0.0.2/32", "global rib del -a ipv4 10.0.0.9/32",
        "global rib del -a ipv6 2001:db8::9/128");
    assertThat(gobgp.rib).containsOnlyKeys("10.0.0.1/32", "10.0.0.2/32", "10.0.0.5/32", "10.5.0.0/24");
  }

  @Test
  void announce_emptySet_withdrawsEveryOwnPath() throws IOException {
    announcer.announce(ips("10.0.0.1", "2001:db8::1"));
    announcer.announce(Set.of());
    assertThat(gobgp.rib).isEmpty();
    assertThat(announcer.announced()).isEmpty();
  }

  @Test
  void announce_oneAddRefused_theOthersStillRunAndTheRefusalIsThrown() throws IOException {
    gobgp.refuse.add("global rib add -a ipv4 10.0.0.1/32");
    assertThatThrownBy(() -> announcer.announce(ips("10.0.0.1", "10.0.0.2")))
        .isInstanceOf(IOException.class)
        .hasMessage("gobgp -p 50051 global rib add -a ipv4 10.0.0.1/32 exited 1: error: refused");
    assertThat(gobgp.rib).containsOnlyKeys("10.0.0.2/32");
    gobgp.refuse.clear();
    announcer.announce(ips("10.0.0.1", "10.0.0.2"));
    assertThat(gobgp.rib).containsOnlyKeys("10.0.0.1/32", "10.0.0.2/32");
  }

  @Test
  void parse_errorObject_throwsNamingTheCommand() {
    assertThatThrownBy(() -> GobgpAnnouncer.parse("{\"error\":\"context deadline exceeded\"}\n", "/32",
        "gobgp -p 1 global rib -a ipv4 -j"))
        .isInstanceOf(IOException.class)
        .hasMessage("gobgp -p 1 global rib -a ipv4 -j: unexpected output: {\"error\":\"context deadline exceeded\"}");
  }

  @Test
  void parse_gobgp310Output_localHostPrefixesOnly() throws IOException {
    String out = "{\"10.0.0.1/32\":[{\"nlri\":{\"prefix\":\"10.0.0.1/32\"},\"age\":1796620564,\"best\":true,"
        + "\"attrs\":[{\"type\":1,\"value\":2},{\"type\":3,\"nexthop\":\"0.0.0.0\"}],\"stale\":false}],"
        + "\"10.0.0.7/32\":[{\"nlri\":{\"prefix\":\"10.0.0.7/32\"},\"age\":1,\"best\":true,\"attrs\":[],"
        + "\"stale\":false,\"source-id\":\"10.99.0.1\",\"neighbor-ip\":\"10.99.0.1\"}]}\n";
    assertThat(GobgpAnnouncer.parse(out, "/32", "gobgp")).containsExactly("10.0.0.1");
    assertThat(GobgpAnnouncer.parse("{}\n", "/32", "gobgp")).isEmpty();
  }

  @Test
  void of_emptyCommand_refused() {
    assertThatThrownBy(() -> GobgpAnnouncer.of(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gobgp command is empty");
  }

  @Test
  void runner_nonZeroExit_namesCommandExitCodeAndOutput() {
    assertThatThrownBy(() -> CommandRunner.withDeadline(10).run(List.of("sh", "-c", "echo no such path >&2; exit 3")))
        .isInstanceOf(IOException.class)
        .hasMessage("sh -c echo no such path >&2; exit 3 exited 3: no such path");
  }

  @Test
  void runner_noAnswerWithinDeadline_killedAndReported() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> CommandRunner.withDeadline(1).run(List.of("sleep", "30")))
        .isInstanceOf(IOException.class).hasMessage("sleep 30: no answer within 1 s");
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
  }
}

package io.lbkit.bench.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netns tier: the nftables benchmark still runs end to end at a tiny size (10 and 20
 * services, one round), so it does not rot between the runs that measure. No timing is
 * asserted: only that every measure printed its line and that a change sends the same
 * number of netlink messages whatever the table size.
 */
class NftComparisonSmokeTest {
  @TempDir Path dir;

  @Test
  void tinyRun_printsEveryMeasure_andAChangeSendsAsManyMessagesAt10As20Services() throws Exception {
    Tiers.requireRoot("creates network namespaces");
    Tiers.requireProgram("nft");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NftComparison c;
    try (NetNs lbkit = NetNs.create(); NetNs nft = NetNs.create();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      c = new NftComparison(new Plan(10, List.of(10, 20), 1, 3, 1, null, true), lbkit.name(), nft.name(), dir, out);
      c.run();
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("install 10 x 10: lbkit in-process", "install 10 x 10: nft -f kube-proxy style",
        "change with 10 services", "change with 20 services", "install 20 x 10: lbkit in-process",
        "read back 20 x 10", "change flatness");
    assertThat(text.lines().reduce((a, b) -> b).orElse("")).startsWith("NFT install10=")
        .contains(" weight20=1/", " read20=");
    long[] at10 = c.messagesPerChange().get(10);
    long[] at20 = c.messagesPerChange().get(20);
    assertThat(at10[0]).as("a weight change sends one batch and a generation query").isPositive()
        .isEqualTo(at10[1]);
    assertThat(at20).containsExactly(at10);
  }
}

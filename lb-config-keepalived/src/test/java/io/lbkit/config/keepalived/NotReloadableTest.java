package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeepalivedConfig.Options#reloadable()} false (a one-shot read such as {@code lbctl check}):
 * the result is the same, nothing is kept for a reload, and such a result given as {@code previous}
 * makes {@link KeepalivedConfig#parse(Path, KeepalivedConfig.Options, KeepalivedConfig)} a full parse.
 */
class NotReloadableTest {
  private static final KeepalivedConfig.Options O = KeepalivedConfig.Options.defaults().withConfigId("x");
  private static final KeepalivedConfig.Options ONCE = O.withReloadable(false);
  @TempDir Path dir;

  @Test
  void defaults_areReloadable_withReloadableChangesOnlyThat() {
    assertThat(O.reloadable()).isTrue();
    assertThat(ONCE.reloadable()).isFalse();
    assertThat(ONCE.withReloadable(true)).isEqualTo(O);
    assertThat(ONCE.withTimeout(java.time.Duration.ofSeconds(5)).withConfigId("y").withMaxLines(10)
        .withInterfaces(java.util.Map.of()).reloadable()).as("kept by the other withers").isFalse();
  }

  @Test
  void parse_notReloadable_keepsNoMemo_sameSpecAndDiagnostics() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, "global_defs {\n  router_id a\n}\ninclude vs.conf\n");
    Files.writeString(dir.resolve("vs.conf"), ReparseTest.services(3, 1).replace("weight 1\n  }\n}\nvirtual_server 10.0.0.2",
        "weight 99999\n  }\n}\nvirtual_server 10.0.0.2"));
    KeepalivedConfig kept = KeepalivedConfig.parse(root, O);
    KeepalivedConfig once = KeepalivedConfig.parse(root, ONCE);
    assertThat(kept.memo()).isNotNull();
    assertThat(once.memo()).isNull();
    assertThat(once.spec()).isEqualTo(kept.spec());
    assertThat(once.diagnostics()).isEqualTo(kept.diagnostics()).hasSize(1);
  }

  @Test
  void parse_largeFileNotReloadable_keepsNoMemo() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    StringBuilder b = new StringBuilder(); // > 1 Mi chars: the reloadable parse hashes it on a helper thread
    for (int i = 0; i < 12_000; i++) {
      b.append("virtual_server 10.0.").append(i / 250).append('.').append(i % 250 + 1)
          .append(" 80 {\n  lvs_sched rr\n  lvs_method NAT\n  real_server 10.1.0.1 80 {\n    weight 1\n  }\n}\n");
    }
    String big = b.toString();
    assertThat(big.length()).isGreaterThanOrEqualTo(ParseMemo.HASH_ASIDE_CHARS);
    Files.writeString(root, big);
    KeepalivedConfig once = KeepalivedConfig.parse(root, ONCE);
    assertThat(once.memo()).isNull();
    assertThat(once.spec().virtualServices()).hasSize(12_000);
  }

  @Test
  void reload_ofAResultWithoutMemo_isAFullParse_equalToACold_oneAndKeepsAMemoForTheNext() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, ReparseTest.services(3, 1));
    KeepalivedConfig once = KeepalivedConfig.parse(root, ONCE);
    assertThat(KeepalivedConfig.parse(root, O, once)).as("unchanged, but nothing to compare with: read again")
        .isNotSameAs(once).satisfies(c -> assertThat(c.spec()).isEqualTo(once.spec()));
    Files.writeString(root, ReparseTest.services(3, 1).replace("10.1.0.1 80 {\n    weight 1", "10.1.0.1 80 {\n    weight 7"));
    assertThat(Reparse.tryAgain(once, once.memo(), root, O)).isNull();
    KeepalivedConfig again = KeepalivedConfig.parse(root, O, once);
    KeepalivedConfig cold = KeepalivedConfig.parse(root, O);
    assertThat(again.spec()).isEqualTo(cold.spec());
    assertThat(again.spec().virtualServices().get(1).realServers().get(0).weight()).isEqualTo(7);
    assertThat(again.diagnostics()).isEqualTo(cold.diagnostics());
    assertThat(again.memo()).as("reloadable options: the next reload is cheap again").isNotNull();
    assertThat(KeepalivedConfig.parse(root, O, again)).isSameAs(again);
  }

  @Test
  void reload_withNotReloadableOptions_ignoresPrevious_keepsNothing() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, ReparseTest.services(2, 1));
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    KeepalivedConfig again = KeepalivedConfig.parse(root, ONCE, prev);
    assertThat(again).isNotSameAs(prev);
    assertThat(again.memo()).isNull();
    assertThat(again.spec()).isEqualTo(prev.spec());
  }
}

package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every keepalived.conf sample and the seed, checked by Debian's keepalived and by
 * lbkit: each line keepalived complains about is reported by lbkit at the same line,
 * and a file keepalived accepts gets no lbkit error.
 */
class KeepalivedOracleTest {
  /** keepalived's sample configs (keepalived doc/samples, GPL-2.0-or-later test data: see its README.md), kept in the project so CI has them. */
  static final Path SAMPLES = Path.of("src/test/resources/keepalived-samples");

  @BeforeAll
  static void needsKeepalived() {
    Tiers.requireProgram("keepalived");
  }

  static Stream<Path> configs() throws IOException {
    List<Path> l = new ArrayList<>();
    l.add(Path.of("src/test/resources/seed-keepalived.conf"));
    l.add(Path.of("src/test/resources/mistakes.conf"));
    l.add(Path.of("src/test/resources/misplaced.conf"));
    l.add(Path.of("src/test/resources/extras.conf"));
    try (Stream<Path> s = Files.list(SAMPLES)) {
      s.filter(f -> f.getFileName().toString().startsWith("keepalived.conf")).sorted().forEach(l::add);
    }
    if (l.size() < 4 + 15) {
      throw new IllegalStateException("expected the 15 keepalived samples in " + SAMPLES + ", found " + (l.size() - 4));
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyKeepalivedReport_isReportedByLbkitAtTheSameLine(Path file) throws Exception {
    KeepalivedOracle.Result k = KeepalivedOracle.check(file);
    KeepalivedConfig c = KeepalivedConfig.parse(file,
        KeepalivedConfig.Options.defaults().withConfigId(KeepalivedOracle.CONFIG_ID));
    List<Integer> lbkitLines = c.diagnostics().stream().map(Diagnostic::line).toList();
    for (KeepalivedOracle.Report r : k.reports()) {
      assertThat(lbkitLines).as("keepalived says at line %d: %s%nlbkit said:%n%s", r.line(), r.message(),
          String.join("\n", c.diagnostics().stream().map(Diagnostic::format).toList())).contains(r.line());
    }
    if (k.missingBrace()) {
      assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().contains("never closed"));
    }
    if (k.accepted()) {
      assertThat(c.diagnostics()).as("keepalived accepts %s; output:%n%s", file, String.join("\n", k.output()))
          .noneMatch(Diagnostic::isError);
    }
  }
}

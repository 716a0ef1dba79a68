package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of the lexer, parser and mapper: any text (the input bytes as
 * UTF-8) parses into a spec plus diagnostics; no exception escapes, the parse ends within
 * its configured timeout. Includes resolve in an empty directory. The jqwik
 * {@link FuzzTest} damages known configs on purpose; this one lets coverage lead. A
 * normal build replays the committed inputs under {@code ConfigParseFuzzTestInputs/};
 * with {@code JAZZER_FUZZ=1} it fuzzes (lb-bench/scripts/fuzz.sh).
 */
class ConfigParseFuzzTest {
  private static final KeepalivedConfig.Options BOUNDED = KeepalivedConfig.Options.defaults().withConfigId("x")
      .withTimeout(Duration.ofSeconds(2)).withMaxLines(20_000);
  private static final Path EMPTY_DIR = emptyDir();

  private static Path emptyDir() {
    try {
      Path d = Files.createTempDirectory("lbk-jazzer");
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void parse_anyText_givesSpecAndDiagnostics(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    KeepalivedConfig c = KeepalivedConfig.parse(text, "fuzz.conf", EMPTY_DIR, BOUNDED);
    assertThat(c.spec()).isNotNull();
    assertThat(c.diagnostics()).allMatch(d -> d.line() >= 0 && d.message() != null && !d.message().isBlank());
  }
}

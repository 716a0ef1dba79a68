package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each block takes only its own keywords (as keepalived 2.2.7's parser does): a checker's
 * keyword in a real_server or in another checker is an error at its line, with where it
 * belongs. src/test/resources/misplaced.conf is also checked against keepalived -t by
 * {@link KeepalivedOracleTest}.
 */
class BlockKeywordsTest {
  private static final KeepalivedConfig C = parse();

  private static KeepalivedConfig parse() {
    try {
      return KeepalivedConfig.parse(Path.of("src/test/resources/misplaced.conf"),
          KeepalivedConfig.Options.defaults().withConfigId("x"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> at(int line) {
    return C.diagnostics().stream().filter(d -> d.line() == line && d.isError()).map(Diagnostic::message).toList();
  }

  @Test
  void checkerKeyword_inRealServer_namesTheCheckersTakingIt() {
    assertThat(at(8)).singleElement().asString().contains("unknown keyword 'connect_port' in real_server")
        .contains("inside a checker block").contains("TCP_CHECK");
    assertThat(at(9)).singleElement().asString().contains("'misc_path' in real_server").contains("(MISC_CHECK)");
  }

  @Test
  void otherCheckersKeyword_inTcpCheck_isAnError() {
    assertThat(at(11)).singleElement().asString().contains("'misc_path' in TCP_CHECK")
        .contains("only MISC_CHECK take it");
  }

  @Test
  void realServerKeyword_inChecker_pointsToTheRealServer() {
    assertThat(at(12)).singleElement().asString().contains("'weight' in TCP_CHECK")
        .contains("goes in the real_server block");
  }

  @Test
  void misspelledKeyword_inChecker_suggestsFromThatCheckerOnly() {
    assertThat(at(13)).singleElement().asString().contains("did you mean 'connect_timeout'?");
    assertThat(at(14)).isEmpty();
  }

  @Test
  void urlKeyword_directlyInHttpGet_saysItGoesInsideUrl() {
    assertThat(at(20)).singleElement().asString().contains("'path' in HTTP_GET; it goes inside url { }");
    assertThat(at(21)).singleElement().asString().contains("'helo_name' in HTTP_GET").contains("SMTP_CHECK");
  }

  @Test
  void connectionKeyword_inMiscCheck_andForeignKeyword_inDnsCheck_areErrors() {
    assertThat(at(25)).singleElement().asString().contains("'connect_port' in MISC_CHECK");
    assertThat(at(26)).isEmpty();
    assertThat(at(30)).singleElement().asString().contains("'payload' in DNS_CHECK").contains("UDP_CHECK");
  }

  @Test
  void everyMisplacedLine_isReported_andNothingElse() {
    assertThat(C.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::line).distinct().sorted())
        .containsExactly(8, 9, 11, 12, 13, 20, 21, 25, 30);
  }
}

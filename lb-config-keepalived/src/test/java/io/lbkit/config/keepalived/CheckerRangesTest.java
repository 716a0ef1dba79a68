package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each checker, real_server and virtual_server value of src/test/resources/checker-ranges.psv
 * (keepalived 2.2.7's ranges, probed with keepalived -t): lbkit's verdict at the value's
 * line, and keepalived -t's verdict on the same text where keepalived is installed.
 */
class CheckerRangesTest {
  static final Path TABLE = Path.of("src/test/resources/checker-ranges.psv");

  /** One row of the table. */
  record Case(String context, String line, String verdict, String keepalivedSays, String lbkitSays) {
    @Override
    public String toString() {
      return context + ": " + line + " -> " + verdict;
    }
  }

  /** A config with {@code line} in a block of {@code context}, and the line number it is at. */
  record Placed(String text, int line) {}

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> l = new ArrayList<>();
    for (String row : Files.readAllLines(TABLE)) {
      if (row.isBlank() || row.startsWith("#")) {
        continue;
      }
      String[] c = row.split("\\|", 5);
      if (c.length != 5) {
        throw new IllegalStateException("bad row in " + TABLE + ": " + row);
      }
      l.add(Arguments.of(new Case(c[0].trim(), c[1].trim(), c[2].trim(), c[3].trim(), c[4].trim())));
    }
    return l.stream();
  }

  static Placed place(String context, String line) {
    List<String> l = new ArrayList<>(List.of("track_file tf {", "  file /tmp/lbk-checker-ranges-none", "}",
        "virtual_server 10.0.0.1 80 {", "  lvs_sched rr", "  lvs_method NAT", "  protocol TCP"));
    int at = -1;
    if (context.equals("virtual_server")) {
      at = l.size();
      l.add("  " + line);
    }
    l.add("  real_server 10.0.0.2 80 {");
    if (context.equals("real_server")) {
      at = l.size();
      l.add("    " + line);
    }
    String block = switch (context) {
      case "virtual_server", "real_server" -> "TCP_CHECK";
      case "url" -> "HTTP_GET";
      default -> context;
    };
    l.add("    " + block + " {");
    switch (block) {
      case "HTTP_GET", "SSL_GET" -> {
        l.add("      url {");
        l.add("        path /");
        if (context.equals("url")) {
          at = l.size();
          l.add("        " + line);
        }
        l.add("      }");
      }
      case "MISC_CHECK" -> l.add("      misc_path /bin/true");
      case "FILE_CHECK" -> l.add("      track_file tf");
      default -> { }
    }
    if (at < 0) {
      at = l.size();
      l.add("      " + line);
    }
    l.addAll(List.of("    }", "  }", "}", ""));
    return new Placed(String.join("\n", l), at + 1);
  }

  private static String show(KeepalivedConfig c) {
    return String.join("\n", c.diagnostics().stream().map(Diagnostic::format).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lbkit_reportsLikeKeepalived(Case k) {
    Placed p = place(k.context(), k.line());
    KeepalivedConfig c = KeepalivedConfig.parse(p.text(), "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId(KeepalivedOracle.CONFIG_ID));
    List<Diagnostic> here = c.diagnostics().stream().filter(d -> d.line() == p.line()).toList();
    switch (k.verdict()) {
      case "ok" -> {
        assertThat(c.diagnostics()).as("%s%n%s", p.text(), show(c)).noneMatch(Diagnostic::isError);
        if (k.lbkitSays().isEmpty()) {
          assertThat(here).as("%s%n%s", p.text(), show(c)).isEmpty();
        } else {
          assertThat(here).as(show(c)).anyMatch(d -> d.message().contains(k.lbkitSays()));
        }
      }
      case "adapt" -> {
        assertThat(here).as(show(c)).noneMatch(Diagnostic::isError)
            .anyMatch(d -> d.message().contains(k.lbkitSays()));
      }
      case "reject" -> assertThat(here).as("%s%n%s", p.text(), show(c))
          .anyMatch(d -> d.isError() && d.message().contains(k.lbkitSays()));
      default -> throw new IllegalStateException("unknown verdict " + k.verdict());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepalived_stillSaysWhatTheTableRecords(Case k) throws Exception {
    Tiers.requireProgram("keepalived");
    Placed p = place(k.context(), k.line());
    KeepalivedOracle.Result r = KeepalivedOracle.checkText(p.text());
    List<String> here = r.reports().stream().filter(x -> x.line() == p.line()).map(KeepalivedOracle.Report::message)
        .toList();
    if (k.verdict().equals("ok")) {
      assertThat(r.reports()).as("%s%n%s", p.text(), String.join("\n", r.output())).isEmpty();
    } else {
      assertThat(here).as("%s%n%s", p.text(), String.join("\n", r.output()))
          .anyMatch(m -> m.contains(k.keepalivedSays()));
    }
  }
}

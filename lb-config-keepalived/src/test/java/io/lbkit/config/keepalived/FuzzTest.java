package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Damaged configurations: random bytes, truncation, brace and quote damage, huge
 * numbers, runaway loops and definitions, include cycles. Every parse returns (no
 * exception escapes) within its time limit.
 */
class FuzzTest {
  private static final KeepalivedConfig.Options BOUNDED = KeepalivedConfig.Options.defaults().withConfigId("x")
      .withTimeout(Duration.ofSeconds(2)).withMaxLines(20_000);
  private static final List<String> CORPUS = corpus();
  private Path dir;

  private static List<String> corpus() {
    List<String> l = new ArrayList<>();
    try {
      l.add(Files.readString(Path.of("src/test/resources/seed-keepalived.conf")));
      l.add(Files.readString(Path.of("src/test/resources/mistakes.conf")));
      Path samples = KeepalivedOracleTest.SAMPLES;
      if (Files.isDirectory(samples)) {
        try (Stream<Path> s = Files.list(samples)) {
          for (Path p : s.sorted().toList()) {
            l.add(Files.readString(p));
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    l.add("$A=${B}x\n$B=${A}y\n~SEQ(I, 1, 3) ~LST(J, a, b) virtual_server 10.0.0.${I} 8${J} { $A }\n"
        + "virtual_server_group G { 10.0.0.1-250 80\n 2001:db8::1-ff 80\n fwmark 4294967295 }\n"
        + "virtual_server group G { real_server 10.0.0.9 { } }\n");
    return l;
  }

  @BeforeProperty
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("lbk-fuzz");
    Files.writeString(dir.resolve("a.conf"), "include b.conf\nglobal_defs {\n");
    Files.writeString(dir.resolve("b.conf"), "include *.conf\n}\n");
    Files.writeString(dir.resolve("self.inc"), "include self.inc\ninclude {a,b,self}.*\n");
  }

  @AfterProperty
  void removeDir() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Provide
  Arbitrary<String> damaged() {
    return Arbitraries.randomValue(FuzzTest::damage);
  }

  static String damage(Random r) {
    String base = CORPUS.get(r.nextInt(CORPUS.size()));
    StringBuilder sb = new StringBuilder(base);
    int edits = 1 + r.nextInt(8);
    for (int e = 0; e < edits; e++) {
      int pos = sb.length() == 0 ? 0 : r.nextInt(sb.length());
      switch (r.nextInt(12)) {
        case 0 -> sb.setLength(pos);
        case 1 -> sb.insert(pos, (char) r.nextInt(0x3000));
        case 2 -> sb.insert(pos, r.nextBoolean() ? '{' : '}');
        case 3 -> sb.insert(pos, r.nextBoolean() ? '"' : '\'');
        case 4 -> sb.insert(pos, " 99999999999999999999999999 ");
        case 5 -> sb.insert(pos, "\n~SEQ(X, 1, " + r.nextInt(100_000) + ") ~SEQ(Y, 0, 9) real_server 10.0.0.${X} "
            + "80 { }\n");
        case 6 -> sb.insert(pos, "\ninclude " + (r.nextBoolean() ? "a.conf" : "self.inc") + "\n");
        case 7 -> sb.insert(pos, "\n$R=$R$R\n$R\n");
        case 8 -> sb.insert(pos, "\\");
        case 9 -> {
          if (sb.length() > 0) {
            sb.deleteCharAt(pos);
          }
        }
        case 10 -> sb.insert(pos, "\n@" + (r.nextBoolean() ? "^" : "") + "x ");
        default -> {
          byte[] junk = new byte[r.nextInt(64)];
          r.nextBytes(junk);
          sb.insert(pos, new String(junk, StandardCharsets.ISO_8859_1));
        }
      }
    }
    return sb.toString();
  }

  @Property(tries = 150)
  void damagedConfig_parsesWithoutExceptionAndInBoundedTime(@ForAll("damaged") String text) {
    KeepalivedConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> KeepalivedConfig.parse(text, "fuzz.conf", dir, BOUNDED));
    assertThat(c.spec()).isNotNull();
    assertThat(c.diagnostics()).isSorted().allMatch(d -> d.line() >= 0);
  }

  @Property(tries = 10)
  void includeCycles_areReportedAsDiagnostics(@ForAll("damaged") String prefix) {
    KeepalivedConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> KeepalivedConfig.parse("include a.conf\ninclude self.inc\n" + prefix, "fuzz.conf", dir, BOUNDED));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().startsWith("include cycle"));
  }
}

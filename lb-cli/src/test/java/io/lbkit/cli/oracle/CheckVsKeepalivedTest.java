package io.lbkit.cli.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.cli.InProcessLbctl;
import io.lbkit.cli.testing.ProjectRoot;
import io.lbkit.harness.Tiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lbctl check} flags everything {@code keepalived -t} (Debian's 2.2.7) flags, on all 25 of
 * keepalived's samples, the configs the project already tests, and a corpus of mistakes
 * ({@code src/test/resources/check-corpus}): each of keepalived's reports is matched by an lbctl
 * finding at the same file and line, a file keepalived accepts gets no lbctl error, and each
 * corpus file draws at least one report (or it tests nothing).
 *
 * <p>How a keepalived report is matched (see {@link KeepalivedT}): at its line; a report at a line
 * that only closes a block (keepalived reports some block problems at the '}') by a finding at
 * the line that opens that block; the echoes keepalived prints after an unknown block keyword
 * ("Unexpected '{'", "Unknown keyword '}'", keywords inside the block it did not open) by lbctl's
 * error at that keyword. Line-less reports of the kinds in {@link KeepalivedT#LINELESS} must be
 * matched by an lbctl finding of that kind anywhere in the file (lbctl names the line).
 * {@link KeepalivedT#EXCEPTIONS} lists what is not compared, each with its reason.
 */
class CheckVsKeepalivedTest {
  private static final Pattern LBCTL = Pattern.compile("^(.+?):(\\d+): (error|warning): (.*)$");

  @BeforeAll
  static void needsKeepalived() {
    Tiers.requireProgram("keepalived");
  }

  static Stream<Path> files() throws IOException {
    Path root = ProjectRoot.find();
    List<Path> l = new ArrayList<>();
    for (String dir : List.of("lb-config-keepalived/src/test/resources/keepalived-samples",
        "lb-cli/src/test/resources/keepalived-samples-debian")) {
      try (Stream<Path> s = Files.list(root.resolve(dir))) {
        s.filter(f -> f.getFileName().toString().startsWith("keepalived.conf")).sorted().forEach(l::add);
      }
    }
    Path debian = Path.of("/usr/share/doc/keepalived/samples");
    if (Files.isDirectory(debian)) { // the installed package's, if it differs from or adds to the copies
      try (Stream<Path> s = Files.list(debian)) {
        s.filter(f -> f.getFileName().toString().startsWith("keepalived.conf")).sorted()
            .filter(f -> l.stream().noneMatch(p -> sameContent(p, f))).forEach(l::add);
      }
    }
    if (l.size() < 25) {
      throw new IllegalStateException("expected keepalived's 25 samples, found " + l.size());
    }
    for (String f : List.of("seed-keepalived.conf", "mistakes.conf", "misplaced.conf", "extras.conf")) {
      l.add(root.resolve("lb-config-keepalived/src/test/resources").resolve(f));
    }
    l.add(root.resolve("tools/e2e/seed-keepalived.conf"));
    l.addAll(corpus());
    return l.stream();
  }

  static List<Path> corpus() throws IOException {
    try (Stream<Path> s = Files.list(ProjectRoot.find().resolve("lb-cli/src/test/resources/check-corpus"))) {
      return s.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
  }

  private static boolean sameContent(Path a, Path b) {
    try {
      return Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      return false;
    }
  }

  /** One lbctl finding. */
  record Finding(String file, int line, boolean error, String message) {}

  static List<Finding> lbctlCheck(Path file) {
    InProcessLbctl lbctl = new InProcessLbctl();
    int rc = lbctl.run("check", file.toString());
    List<Finding> l = new ArrayList<>();
    for (String line : lbctl.err().split("\n")) {
      Matcher m = LBCTL.matcher(line);
      if (m.matches()) {
        l.add(new Finding(m.group(1), Integer.parseInt(m.group(2)), m.group(3).equals("error"), m.group(4)));
      }
    }
    assertThat(rc).as("lbctl check %s exit code; stderr:%n%s", file, lbctl.err()).isIn(0, 1);
    return l;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyKeepalivedReport_isFlaggedByLbctlCheck_atItsLine(Path file) throws Exception {
    KeepalivedT.Result k = KeepalivedT.run(file);
    List<Finding> lbctl = lbctlCheck(file.toAbsolutePath());
    String shown = String.join("\n", lbctl.stream().map(f -> f.file() + ":" + f.line() + ": " + f.message()).toList());
    Map<String, String> missed = new TreeMap<>();
    for (KeepalivedT.Report r : k.reports()) {
      if (!KeepalivedT.matched(r, lbctl)) {
        missed.put(r.file() + ":" + r.line() + " " + r.message(), r.message());
      }
    }
    for (String r : k.lineless()) {
      if (!KeepalivedT.matchedLineless(r, lbctl)) {
        missed.put("(no line) " + r, r);
      }
    }
    assertThat(missed.keySet()).as("keepalived -t reports that lbctl check does not flag at that line;%n"
        + "keepalived said:%n%s%nlbctl said:%n%s", String.join("\n", k.output()), shown).isEmpty();
    if (k.clean()) {
      assertThat(lbctl).as("keepalived -t accepts %s; lbctl said:%n%s", file, shown).noneMatch(Finding::error);
    }
    if (file.getParent().getFileName().toString().equals("check-corpus")) {
      assertThat(k.reports().size() + k.lineless().size())
          .as("corpus file %s draws no keepalived report, so it tests nothing; keepalived said:%n%s", file,
              String.join("\n", k.output())).isPositive();
    }
  }
}

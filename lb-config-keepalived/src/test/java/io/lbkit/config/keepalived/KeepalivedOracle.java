package io.lbkit.config.keepalived;

import io.lbkit.harness.KeepalivedCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code keepalived -t} (config test: parse only, then exit) on a file,
 * with a deadline, inside a fresh network namespace when root (so it cannot see or
 * touch any real interface), and collects what it reports.
 */
final class KeepalivedOracle {
  static final String CONFIG_ID = "lbktest";
  private static final Pattern LINE = Pattern.compile("^\\((.+): Line (\\d+)\\) (.*)$");
  /**
   * Reports about this machine (its interfaces, its user database), which lbkit's check
   * deliberately does not look at.
   */
  private static final Pattern HOST_SPECIFIC = Pattern.compile("interface \\S+ (for .* )?doesn't exist"
      + "|tracked interface|cannot track route|Non-existent interface|Unable to set default user");

  /** One line-bearing report. */
  record Report(String file, int line, String message) {}

  /** Everything keepalived printed, and the line-bearing reports that are not about host interfaces. */
  record Result(int exitCode, List<String> output, List<Report> reports) {
    boolean missingBrace() {
      return output.stream().anyMatch(l -> l.contains("missing '}'"));
    }

    /** keepalived found nothing wrong except this machine's missing interfaces. */
    boolean accepted() {
      return reports.isEmpty() && !missingBrace();
    }
  }

  private KeepalivedOracle() {}

  /** {@link #check} of {@code text} written to a temporary file (deleted after). */
  static Result checkText(String text) throws IOException, InterruptedException {
    Path f = Files.createTempFile("lbk-oracle", ".conf");
    try {
      Files.writeString(f, text);
      return check(f);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  /** Asserts that keepalived accepts {@code text}, showing the text and keepalived's output if not. */
  static void assertAccepted(String text) throws IOException, InterruptedException {
    Result k = checkText(text);
    if (!k.accepted()) {
      throw new AssertionError("keepalived -t rejects:\n" + text + "\n" + String.join("\n", k.output()));
    }
  }

  static Result check(Path file) throws IOException, InterruptedException {
    KeepalivedCheck.Output k = KeepalivedCheck.run(file, CONFIG_ID, Duration.ofSeconds(30));
    List<Report> reports = new ArrayList<>();
    for (String l : k.lines()) {
      Matcher m = LINE.matcher(l);
      if (m.matches() && !HOST_SPECIFIC.matcher(m.group(3)).find()) {
        reports.add(new Report(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
      }
    }
    return new Result(k.exitCode(), k.lines(), reports);
  }
}

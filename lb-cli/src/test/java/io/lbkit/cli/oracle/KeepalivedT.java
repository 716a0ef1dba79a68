package io.lbkit.cli.oracle;

import io.lbkit.cli.oracle.CheckVsKeepalivedTest.Finding;
import io.lbkit.harness.KeepalivedCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code keepalived -t} on one file (parse only; in a fresh network namespace when root, so it
 * sees no real interface), its reports sorted into line-bearing, line-less and documented
 * exceptions, and the rules by which an lbctl finding matches a report.
 */
final class KeepalivedT {
  private static final Pattern LINE = Pattern.compile("^\\((?:(.+): )?Line (\\d+)\\) (.*)$");

  /**
   * What is not compared, and why. All are about the machine keepalived runs on, not the file:
   * lbctl check deliberately does not read the host's interfaces or user database (a config is
   * checked on one machine and run on another), and this test runs keepalived in an empty
   * network namespace, where every interface the samples name (eth0...) is missing.
   */
  static final Map<Pattern, String> EXCEPTIONS = Map.of(
      Pattern.compile("interface \\S+ (for .+ )?doesn't exist"), "a host interface missing here",
      Pattern.compile("tracked interface \\S+ doesn't exist"), "a host interface missing here",
      Pattern.compile("^Non-existent interface specified in configuration$"), "summary of the missing interfaces",
      Pattern.compile("Unknown interface!$"), "an instance whose interface is missing here",
      Pattern.compile("Unable to set default user|default user .* does not exist"), "the host's user database");

  /**
   * Line-less reports compared, each with the kind of lbctl finding that flags it (anywhere in
   * the file; lbctl's findings all name their line). Any other line-less output fails the test,
   * so a new kind is looked at, not skipped.
   */
  static final Map<Pattern, Pattern> LINELESS = Map.of(
      Pattern.compile("has no real servers - ignoring"), Pattern.compile("has no real_server"),
      Pattern.compile("protocol specified for fwmark"), Pattern.compile("protocol is ignored for a fwmark"),
      Pattern.compile("no protocol set"), Pattern.compile("protocol"),
      Pattern.compile("no scheduler set"), Pattern.compile("lvs_sched|scheduler"),
      Pattern.compile("no forwarding method set"), Pattern.compile("lvs_method"),
      Pattern.compile("missing '}'s or extra '\\{'s"), Pattern.compile("never closed|'\\}'|'\\{'"),
      Pattern.compile("the virtual router id must be set"), Pattern.compile("virtual_router_id"),
      Pattern.compile("SECURITY VIOLATION - (check )?scripts are being executed but script_security not enabled"),
      Pattern.compile("enable_script_security"),
      Pattern.compile("is duplicated - removing second rs"), Pattern.compile("listed twice"));

  /** Echoes of an unknown block keyword: keepalived did not open its block. */
  private static final Pattern ECHO = Pattern.compile("^Unknown keyword '[^']*'$|^Unexpected '\\{' - ignoring$");

  record Report(String file, int line, String message) {}

  record Result(int exitCode, List<String> output, List<Report> reports, List<String> lineless) {
    /** keepalived found nothing at all (exit 0, no output but exceptions). */
    boolean clean() {
      return exitCode == 0 && reports.isEmpty() && lineless.isEmpty();
    }
  }

  private KeepalivedT() {}

  static Result run(Path file) throws IOException, InterruptedException {
    Path abs = file.toAbsolutePath();
    KeepalivedCheck.Output k = KeepalivedCheck.run(abs, "lbktest", Duration.ofSeconds(60));
    Set<Report> reports = new LinkedHashSet<>(); // keepalived's processes each print some reports again
    Set<String> lineless = new LinkedHashSet<>();
    for (String l : k.lines()) {
      if (l.isBlank() || EXCEPTIONS.keySet().stream().anyMatch(e -> e.matcher(l).find())) {
        continue;
      }
      Matcher m = LINE.matcher(l);
      if (m.matches()) {
        String f = m.group(1) == null ? abs.toString() : m.group(1);
        reports.add(new Report(f, Integer.parseInt(m.group(2)), m.group(3).strip()));
      } else {
        lineless.add(l.strip());
      }
    }
    return new Result(k.exitCode(), k.lines(), List.copyOf(reports), List.copyOf(lineless));
  }

  static boolean matched(Report r, List<Finding> lbctl) {
    if (at(lbctl, r.file(), r.line())) {
      return true;
    }
    Blocks b = Blocks.of(Path.of(r.file()));
    int opener = b.closes(r.line());
    if (opener > 0 && at(lbctl, r.file(), opener)) {
      return true; // reported at the '}' by keepalived, at the block's keyword by lbctl
    }
    if (ECHO.matcher(r.message()).matches()) {
      // keepalived did not open an unknown keyword's block; what follows in it, and its '}',
      // are echoes of the one mistake lbctl reports as an unknown keyword at or before this line
      // (in the same top-level block: keepalived's block structure is off only up to its end)
      int top = b.top(r.line());
      return top > 0 && lbctl.stream().anyMatch(f -> f.error() && f.line() <= r.line()
          && sameFile(f.file(), r.file()) && b.top(f.line()) == top && f.message().startsWith("unknown keyword"));
    }
    return false;
  }

  static boolean matchedLineless(String report, List<Finding> lbctl) {
    for (Map.Entry<Pattern, Pattern> e : LINELESS.entrySet()) {
      if (e.getKey().matcher(report).find()) {
        return lbctl.stream().anyMatch(f -> e.getValue().matcher(f.message()).find());
      }
    }
    return false; // a kind nobody classified yet: fail, so it is looked at
  }

  private static boolean at(List<Finding> lbctl, String file, int line) {
    return lbctl.stream().anyMatch(f -> f.line() == line && sameFile(f.file(), file));
  }

  private static boolean sameFile(String a, String b) {
    return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
  }

  /**
   * Which line opens the block a line closes, and which line opens the top-level block a line
   * is in (braces outside comments and quotes).
   */
  record Blocks(Map<Integer, Integer> closerToOpener, Map<Integer, Integer> topOf) {
    static Blocks of(Path file) {
      Map<Integer, Integer> m = new java.util.HashMap<>();
      Map<Integer, Integer> top = new java.util.HashMap<>();
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Deque<Integer> open = new ArrayDeque<>();
      for (int i = 0; i < lines.size(); i++) {
        boolean quoted = false;
        String s = lines.get(i);
        for (int j = 0; j < s.length(); j++) {
          char c = s.charAt(j);
          if (c == '"') {
            quoted = !quoted;
          } else if (!quoted && (c == '#' || c == '!')) {
            break;
          } else if (!quoted && c == '{') {
            open.push(i + 1);
          } else if (!quoted && c == '}' && !open.isEmpty()) {
            top.putIfAbsent(i + 1, open.peekLast());
            m.putIfAbsent(i + 1, open.pop());
          }
          if (!open.isEmpty()) {
            top.putIfAbsent(i + 1, open.peekLast());
          }
        }
        if (!open.isEmpty()) {
          top.putIfAbsent(i + 1, open.peekLast());
        }
      }
      return new Blocks(m, top);
    }

    /** The line whose '{' the first '}' on {@code line} closes, or 0. */
    int closes(int line) {
      return closerToOpener.getOrDefault(line, 0);
    }

    /** The line opening the top-level block {@code line} is in (or opens, or closes), or 0. */
    int top(int line) {
      return topOf.getOrDefault(line, 0);
    }
  }
}

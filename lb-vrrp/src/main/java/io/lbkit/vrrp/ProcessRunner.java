package io.lbkit.vrrp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tracking and notify scripts without a shell. The default starts a process,
 * discards its output and kills it at the timeout; tests pass a fake.
 */
@FunctionalInterface
public interface ProcessRunner {
  /** Exit code reported when a script ran past its timeout and was killed. */
  int TIMED_OUT = -1;

  /**
   * Runs {@code argv} and waits at most {@code timeout}.
   *
   * @return the exit code, or {@link #TIMED_OUT}
   * @throws IOException if the program cannot be started
   */
  int run(List<String> argv, Duration timeout) throws IOException;

  /** Real processes: output discarded, killed (SIGKILL) at the timeout. */
  static ProcessRunner processes() {
    return (argv, timeout) -> {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
          p.waitFor(1, TimeUnit.SECONDS);
          return TIMED_OUT;
        }
        return p.exitValue();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        return TIMED_OUT;
      }
    };
  }

  /**
   * Splits a keepalived script line into program and arguments as keepalived does:
   * on blanks, with single or double quotes grouping, and no shell expansion.
   *
   * @throws IllegalArgumentException on an unterminated quote
   */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated " + quote + " quote in script \"" + line + "\"");
    }
    if (inWord) {
      out.add(cur.toString());
    }
    return out;
  }
}

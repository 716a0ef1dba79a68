package io.lbkit.config.keepalived;

import io.lbkit.config.keepalived.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics while parsing; capped so that a hostile file cannot exhaust memory. */
final class Diags {
  static final int MAX = 10_000;
  private final List<Diagnostic> list = new ArrayList<>();
  private boolean truncated;
  private long deadline = Long.MAX_VALUE;
  private boolean hasDeadline;
  private int tick;

  /** Sets the time after which {@link #checkTime} stops the parse. */
  void deadline(long nanoTime) {
    deadline = nanoTime;
    hasDeadline = true;
  }

  /**
   * Stops the parse with an error at {@code at} once the deadline has passed, checked every 16
   * calls: a call can cost a whole virtual_server body (one per group member), so checking only
   * every 256 let a 250-member group run far past the deadline (a fuzzing slow unit: 21 s with a
   * 2 s deadline).
   */
  void checkTime(Token at) {
    if (hasDeadline && (++tick & 15) == 0 && System.nanoTime() - deadline > 0) {
      add(at.file(), at.line(), at.column(), Severity.ERROR, "parse time limit exceeded here; stopped");
      throw new Lexer.Abort();
    }
  }

  void error(Token at, String message) {
    add(at.file(), at.line(), at.column(), Severity.ERROR, message);
  }

  void warn(Token at, String message) {
    add(at.file(), at.line(), at.column(), Severity.WARNING, message);
  }

  void add(String file, int line, int column, Severity s, String message) {
    if (list.size() >= MAX) {
      if (!truncated) {
        truncated = true;
        list.add(new Diagnostic(file, line, column, Severity.ERROR, "too many diagnostics; stopped reporting after "
            + MAX));
      }
      return;
    }
    list.add(new Diagnostic(file, line, column, s, message));
  }

  /** True once diagnostics were dropped at the cap. */
  boolean truncated() {
    return truncated;
  }

  /** How many were collected. */
  int size() {
    return list.size();
  }

  /** True once the cap is reached: callers skip costly message building. */
  boolean full() {
    return list.size() >= MAX;
  }

  boolean hasErrors() {
    for (Diagnostic d : list) {
      if (d.isError()) {
        return true;
      }
    }
    return false;
  }

  List<Diagnostic> sorted() {
    List<Diagnostic> l = new ArrayList<>(list);
    l.sort(null);
    return List.copyOf(l);
  }
}

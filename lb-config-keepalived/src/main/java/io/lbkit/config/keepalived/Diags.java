package io.lbkit.config.keepalived;

import io.lbkit.config.keepalived.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics while parsing; capped so that a hostile file cannot exhaust memory. */
final class Diags {
  static final int MAX = 10_000;
  private final List<Diagnostic> list = new ArrayList<>();
  private boolean truncated;

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

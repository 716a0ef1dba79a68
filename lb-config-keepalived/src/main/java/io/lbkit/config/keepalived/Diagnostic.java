package io.lbkit.config.keepalived;

import java.util.Comparator;
import java.util.Objects;

/**
 * One finding about a configuration: where it is and what is wrong.
 *
 * <pre>{@code
 * keepalived.conf:6: error: unknown keyword 'nopreemp' in vrrp_instance; did you mean 'nopreempt'?
 * }</pre>
 *
 * @param file the file as it was named (the include line's path for included files)
 * @param line 1-based line, 0 if the finding is about the whole file
 * @param column 1-based column, 0 if unknown
 * @param severity error (keepalived would refuse or drop it) or warning (accepted but suspicious)
 * @param message what is wrong, with the bad value and, where there is one, the allowed range
 */
public record Diagnostic(String file, int line, int column, Severity severity, String message)
    implements Comparable<Diagnostic> {

  /** How bad a finding is. */
  public enum Severity {
    /** keepalived rejects or ignores this, or lbkit cannot map it. */
    ERROR,
    /** Accepted, but probably not what was meant. */
    WARNING;

    /** {@code error} or {@code warning}, as printed. */
    public String label() {
      return this == ERROR ? "error" : "warning";
    }
  }

  private static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::file)
      .thenComparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column)
      .thenComparing(Diagnostic::severity).thenComparing(Diagnostic::message);

  /** Validates. */
  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must not be negative: " + line + ":" + column);
    }
  }

  /** True for an error. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code FILE:LINE: error|warning: message}, the form compilers and {@code lbctl check} print. */
  public String format() {
    return file + ":" + line + ": " + severity.label() + ": " + message;
  }

  /** Orders by file, line, column, then errors before warnings. */
  @Override
  public int compareTo(Diagnostic o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return format();
  }
}

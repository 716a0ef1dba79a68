package io.lbkit.fleet;

import io.lbkit.config.keepalived.Diagnostic;
import java.io.IOException;
import java.util.List;

/**
 * A keepalived.conf text with errors (as {@code lbctl check} reports them): it is
 * neither stored by {@link FleetStore#put} nor applied by a {@link FleetDirector}.
 */
public final class InvalidConfigException extends IOException {
  private final List<Diagnostic> diagnostics;

  InvalidConfigException(List<Diagnostic> diagnostics) {
    super(message(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  private static String message(List<Diagnostic> diagnostics) {
    List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
    if (errors.isEmpty()) {
      return "invalid configuration";
    }
    return errors.get(0).format() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
  }

  /** Every finding, errors and warnings, sorted by line. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}

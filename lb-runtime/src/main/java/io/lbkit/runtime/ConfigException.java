package io.lbkit.runtime;

import io.lbkit.config.keepalived.Diagnostic;
import java.io.IOException;
import java.util.List;

/**
 * A configuration the runtime refuses: a keepalived.conf with errors (each with its
 * file and line in {@link #diagnostics()}), or a spec that cannot run (two instances
 * on one VRID, a track_script naming no vrrp_script). Nothing was started or changed:
 * a refused reload leaves the running configuration as it was.
 */
public final class ConfigException extends IOException {
  private final List<Diagnostic> diagnostics;

  ConfigException(String message, List<Diagnostic> diagnostics) {
    super(message);
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** For a file with errors: the message names the first error ({@code FILE:LINE: error: ...}) and the count. */
  static ConfigException of(List<Diagnostic> diagnostics) {
    List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more error"
        + (errors.size() > 2 ? "s" : "") + ")" : "";
    return new ConfigException(errors.get(0).format() + more, diagnostics);
  }

  /**
   * Every finding about the file, errors and warnings, sorted by file and line; empty
   * when the refusal is about a spec rather than a file.
   */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}

package io.lbkit.fleet;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Parses a fleet's stored keepalived.conf text, as {@code lbctl check} would, plus the fleet's own rule. */
final class FleetConfig {
  private FleetConfig() {}

  /** Every finding, sorted by line: the parser's, and an error per {@code include} line. */
  static List<Diagnostic> check(String text, String name) {
    return parse(text, name).diagnostics();
  }

  /** The spec, or an InvalidConfigException naming the first error. */
  static LoadBalancerSpec spec(String text, String name) throws InvalidConfigException {
    Parsed p = parse(text, name);
    if (p.diagnostics().stream().anyMatch(Diagnostic::isError)) {
      throw new InvalidConfigException(p.diagnostics());
    }
    return p.spec();
  }

  private record Parsed(LoadBalancerSpec spec, List<Diagnostic> diagnostics) {}

  private static Parsed parse(String text, String name) {
    // includes would make every director read a file of its own host: the stored text must be the whole config.
    // They resolve against a directory that does not exist, and are refused below.
    KeepalivedConfig c = KeepalivedConfig.parse(text, name, Path.of("/nonexistent-lbkit-fleet"),
        KeepalivedConfig.Options.defaults());
    List<Diagnostic> d = new ArrayList<>(c.diagnostics());
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.equals("include") || l.startsWith("include ") || l.startsWith("include\t")) {
        d.add(new Diagnostic(name, i + 1, 1, Diagnostic.Severity.ERROR,
            "include is not supported in a configuration stored in etcd (each director would read a file of its "
                + "own host): put the whole configuration in one file"));
      }
    }
    Collections.sort(d);
    return new Parsed(c.spec(), d);
  }
}

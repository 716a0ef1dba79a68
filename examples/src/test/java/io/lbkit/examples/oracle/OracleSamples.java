package io.lbkit.examples.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The configurations the IPVS oracle runs: every file of the shared keepalived samples
 * ({@code ../shared/keepalived-samples}, or {@code $LBKIT_SAMPLES}) and the seed's
 * corrected config ({@code tools/e2e/seed-keepalived.conf}).
 */
final class OracleSamples {
  private OracleSamples() {}

  static Path projectRoot() {
    String env = System.getenv("LBKIT_PROJECT_ROOT");
    if (env != null && Files.isDirectory(Path.of(env, "tools", "e2e"))) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("tools/e2e"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the project root (tools/e2e) from " + Path.of("").toAbsolutePath());
  }

  /** The samples directory, or null if there is none near the project. */
  static Path samplesDir(Path root) {
    String env = System.getenv("LBKIT_SAMPLES");
    if (env != null && Files.isDirectory(Path.of(env))) {
      return Path.of(env);
    }
    for (Path p = root; p != null; p = p.getParent()) {
      Path d = p.resolve("shared/keepalived-samples");
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    return null;
  }

  /** The sample files sorted by name, then the seed's config. */
  static List<Path> all(Path root, Path samples) throws IOException {
    List<Path> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(samples)) {
      s.filter(Files::isRegularFile).sorted().forEach(l::add);
    }
    l.add(root.resolve("tools/e2e/seed-keepalived.conf"));
    return l;
  }
}

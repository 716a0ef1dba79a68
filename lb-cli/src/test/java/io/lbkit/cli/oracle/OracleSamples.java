package io.lbkit.cli.oracle;

import java.io.IOException;
import java.nio.file.Files;
import io.lbkit.cli.testing.ProjectRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The configurations the IPVS oracle runs: every file of keepalived's samples (the
 * project's copy, {@value #SAMPLES}, or {@code $LBKIT_SAMPLES}) and the seed's
 * corrected config ({@code tools/e2e/seed-keepalived.conf}).
 */
final class OracleSamples {
  private OracleSamples() {}

  static Path projectRoot() {
    return ProjectRoot.find();
  }

  /** The project's copy of keepalived's sample configs (the importer's tests use it too). */
  static final String SAMPLES = "lb-config-keepalived/src/test/resources/keepalived-samples";

  /** The samples directory: {@code $LBKIT_SAMPLES} if set, else the project's copy; null if neither exists. */
  static Path samplesDir(Path root) {
    String env = System.getenv("LBKIT_SAMPLES");
    if (env != null && Files.isDirectory(Path.of(env))) {
      return Path.of(env);
    }
    Path d = root.resolve(SAMPLES);
    return Files.isDirectory(d) ? d : null;
  }

  /** The sample files sorted by name, then the seed's config. */
  static List<Path> all(Path root, Path samples) throws IOException {
    List<Path> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(samples)) {
      s.filter(f -> f.getFileName().toString().startsWith("keepalived.conf")).sorted().forEach(l::add);
    }
    l.add(root.resolve("tools/e2e/seed-keepalived.conf"));
    return l;
  }
}

package io.lbkit.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's root (the directory with tools/e2e) for tests that run its scripts. */
public final class ProjectRoot {
  private ProjectRoot() {}

  /** {@code $LBKIT_PROJECT_ROOT} if it holds tools/e2e, else the nearest such directory above the working one. */
  public static Path find() {
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
}

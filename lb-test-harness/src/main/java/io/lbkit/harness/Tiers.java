package io.lbkit.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The test tiers' preconditions. A tier that cannot run here skips with a message
 * saying why; under {@code CI=true} it fails instead, so that no tier can silently
 * vanish from CI.
 *
 * <pre>{@code
 * @BeforeAll static void needsRoot() { Tiers.requireRoot("creates network namespaces"); }
 * }</pre>
 */
public final class Tiers {
  private Tiers() {}

  /** True when running under CI ({@code CI=true}). */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** True when the process runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (Exception e) {
      return false;
    }
    return false;
  }

  /** True when this kernel has IPVS loaded ({@code /proc/net/ip_vs} exists). */
  public static boolean hasIpvs() {
    return Files.exists(Path.of("/proc/net/ip_vs"));
  }

  /** Skips (locally) or fails (CI) unless running as root. */
  public static void requireRoot(String why) {
    require(isRoot(), "needs root (" + why + ")");
  }

  /** Skips (locally) or fails (CI) unless the kernel has IPVS. */
  public static void requireIpvs() {
    require(hasIpvs(), "needs a kernel with IPVS (/proc/net/ip_vs); run it inside tools/kernel-vm/vm-run");
  }

  /** Skips (locally) or fails (CI) unless {@code program} is on the PATH. */
  public static void requireProgram(String program) {
    boolean found = false;
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        found = true;
        break;
      }
    }
    require(found, "needs " + program + " on the PATH (.ci/run installs it)");
  }

  /** Skips (locally) or fails (CI) unless {@code condition} holds. */
  public static void require(boolean condition, String message) {
    if (condition) {
      return;
    }
    if (isCi()) {
      Assertions.fail("CI=true and this tier cannot run: " + message);
    }
    Assumptions.abort("skipped: " + message);
  }
}

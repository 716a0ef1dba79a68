package io.lbkit.harness.kernel;

import io.lbkit.harness.Tiers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a module's kernel tier inside one throw-away VM whose kernel has IPVS, from a
 * host-side JUnit test. It boots the project's {@code tools/kernel-vm/vm-run} once,
 * runs {@link TaggedTestRunner} there on the calling test JVM's own classpath and Java,
 * streams the VM console to {@code target/kernel-vm/TAG.log} and returns what ran.
 *
 * <pre>{@code
 * class KernelTierTest {
 *   @Test
 *   void kernelTaggedTests_runInVm_allPass() throws Exception {
 *     KernelVm.forThisModule().runTagged("kernel").assertAllPassed();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #forThisModule()} skips the calling test (fails it under {@code CI=true})
 * when no VM can be started here: not root, no {@code vm-run} in the project, QEMU
 * neither installed nor installable, or already inside the VM.
 */
public final class KernelVm {
  private static final Pattern SUMMARY = Pattern.compile(Pattern.quote(TaggedTestRunner.SUMMARY_PREFIX)
      + " tag=\\S+ found=(\\d+) succeeded=(\\d+) failed=(\\d+) aborted=(\\d+) skipped=(\\d+)");
  private static final int TAIL_LINES = 80;

  private final Path projectRoot;
  private final Path moduleDir;
  private final Duration timeout;
  private final int memoryMiB;

  private KernelVm(Path projectRoot, Path moduleDir, Duration timeout, int memoryMiB) {
    this.projectRoot = projectRoot;
    this.moduleDir = moduleDir;
    this.timeout = timeout;
    this.memoryMiB = memoryMiB;
  }

  /**
   * A VM for the module whose tests are running (surefire's {@code basedir}), with a
   * 10-minute timeout and 3 GiB of memory. Skips (fails under CI) when no VM can run here.
   */
  public static KernelVm forThisModule() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    Tiers.require(System.getenv("LBKIT_IN_VM") == null, "already inside the kernel VM (run @Tag(\"kernel\") tests "
        + "directly here)");
    Tiers.requireRoot("the kernel VM mounts this machine's file system into QEMU");
    Path root = projectRoot(module);
    Tiers.require(root != null, "no tools/kernel-vm/vm-run above " + module + " (set LBKIT_PROJECT_ROOT)");
    Tiers.require(onPath("qemu-system-x86_64") || onPath("apt-get"),
        "needs qemu-system-x86_64 (Debian package qemu-system-x86) or apt-get to install it");
    return new KernelVm(root, module, Duration.ofMinutes(10), 3072);
  }

  /** The same VM with another timeout for the whole run (boot included). */
  public KernelVm withTimeout(Duration t) {
    if (t.compareTo(Duration.ofSeconds(30)) < 0) {
      throw new IllegalArgumentException("a VM run needs a timeout of at least 30 s: " + t);
    }
    return new KernelVm(projectRoot, moduleDir, t, memoryMiB);
  }

  /** The same VM with another amount of guest memory. */
  public KernelVm withMemoryMiB(int mib) {
    if (mib < 512 || mib > 65536) {
      throw new IllegalArgumentException("guest memory out of range 512-65536 MiB: " + mib);
    }
    return new KernelVm(projectRoot, moduleDir, timeout, mib);
  }

  /** The project root found (holds {@code tools/kernel-vm/vm-run}). */
  public Path projectRoot() {
    return projectRoot;
  }

  /**
   * Boots the VM and runs every test tagged {@code tag} in this module's
   * {@code target/test-classes}, on the current test classpath.
   *
   * <p>A VM that cannot be set up (vm-run exit 125 without any test output) skips the
   * calling test locally and fails it under CI.
   */
  public Result runTagged(String tag) throws IOException, InterruptedException {
    Objects.requireNonNull(tag, "tag");
    Path classes = moduleDir.resolve("target/test-classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("no " + classes + ": compile the tests first");
    }
    Path dir = Files.createDirectories(moduleDir.resolve("target/kernel-vm"));
    Path log = dir.resolve(tag + ".log");
    Path argFile = dir.resolve(tag + ".args");
    Files.writeString(argFile, String.join("\n", List.of(
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx768m", "-Djava.io.tmpdir=/tmp",
        "-cp", quote(testClassPath()),
        TaggedTestRunner.class.getName(), "--tag", quote(tag), "--classes", quote(classes.toString()))) + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(projectRoot.resolve("tools/kernel-vm/vm-run").toString(),
        "--timeout", Long.toString(timeout.toSeconds()), "--mem", Integer.toString(memoryMiB),
        "--share", projectRoot.toString(), "--cwd", moduleDir.toString(),
        "--", java, "@" + argFile));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    System.out.println("kernel-vm: running @Tag(\"" + tag + "\") tests of " + moduleDir.getFileName()
        + " in a VM (console: " + log + ")");
    long started = System.nanoTime();
    Process p = pb.start();
    int code;
    // vm-run enforces the timeout itself; this is the backstop if it hangs in setup
    if (p.waitFor(timeout.toSeconds() + 120, TimeUnit.SECONDS)) {
      code = p.exitValue();
    } else {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      code = 124;
    }
    Result r = Result.parse(code, log);
    System.out.println("kernel-vm: exit " + code + " after " + (System.nanoTime() - started) / 1_000_000_000
        + " s, " + r.succeeded() + " of " + r.found() + " tests passed");
    if (code == 125 && r.found() < 0) {
      Tiers.require(false, "the kernel VM could not be set up (vm-run exit 125):\n" + r.tail());
    }
    return r;
  }

  /** The test JVM's classpath: surefire's real one, not its manifest-only booter jar. */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static Path projectRoot(Path module) {
    String env = System.getenv("LBKIT_PROJECT_ROOT");
    if (env != null && Files.isExecutable(Path.of(env, "tools/kernel-vm/vm-run"))) {
      return Path.of(env).toAbsolutePath();
    }
    for (Path d = module; d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("tools/kernel-vm/vm-run"))) {
        return d;
      }
    }
    return null;
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a VM run did.
   *
   * @param exitCode vm-run's status: the runner's (0 passed, 1 failures, 2 no tests), 124 timed
   *     out, 125 VM setup failed
   * @param found tests found and started or skipped, or -1 if the runner printed no summary
   * @param succeeded tests passed
   * @param failed tests failed
   * @param aborted tests whose assumptions did not hold inside the VM
   * @param log the VM console log
   * @param tail the last lines of the console
   */
  public record Result(int exitCode, long found, long succeeded, long failed, long aborted, Path log, String tail) {

    static Result parse(int exitCode, Path log) {
      List<String> lines;
      try {
        lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the VM console " + log, e);
      }
      long[] n = {-1, -1, -1, -1};
      for (String l : lines) {
        Matcher m = SUMMARY.matcher(l);
        if (m.find()) {
          for (int i = 0; i < 4; i++) {
            n[i] = Long.parseLong(m.group(i + 1));
          }
        }
      }
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
      return new Result(exitCode, n[0], n[1], n[2], n[3], log, tail);
    }

    /** True if the run exited 0, at least one test passed and none failed. */
    public boolean passed() {
      return exitCode == 0 && succeeded > 0 && failed == 0;
    }

    /**
     * Fails the calling test unless {@link #passed()}, with the console's tail in the message.
     *
     * @return this
     */
    public Result assertAllPassed() {
      if (!passed()) {
        throw new AssertionError("kernel VM run did not pass: exit " + exitCode + ", found " + found + ", passed "
            + succeeded + ", failed " + failed + ", aborted " + aborted + " (console: " + log + ")\n" + tail);
      }
      return this;
    }
  }
}

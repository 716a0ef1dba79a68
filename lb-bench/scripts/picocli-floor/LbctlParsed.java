package io.lbkit.cli;

/**
 * lbctl's own path to "run's arguments parsed" (picocli-floor.sh): what {@code Lbctl.main} does for {@code run} up to
 * picocli's parse ({@code Lbctl.commandLine}, then {@code parseArgs}), then until the libraries the start needs next
 * are initialised (the warm-up thread's classes: joined, or initialised here without it), then exits; prints the same
 * "T ..." line as PicocliAlone (main, main, after the model, after the parse, libraries ready, the main thread's CPU
 * and wait). Compiled against
 * lbctl.jar and put after it on the class path (same package: lbctl's package-private entry points).
 */
public class LbctlParsed {
  public static void main(String[] args) {
    long main = System.currentTimeMillis();
    Signals.ownProcess = true;
    if (System.getProperty(Lbctl.CONVERTER_EXCLUDES) == null) {
      System.setProperty(Lbctl.CONVERTER_EXCLUDES, Lbctl.RUN_CONVERTER_EXCLUDES);
    }
    // -Dprobe.librariesOnly=true: no picocli, no warm-up thread; only the libraries, on main
    boolean librariesOnly = Boolean.getBoolean("probe.librariesOnly");
    Thread warmUp = librariesOnly ? null : WarmUp.start(args);
    long model = main;
    if (!librariesOnly) {
      picocli.CommandLine cl = Lbctl.commandLine(System.out, System.err, ControlSocket.DIR, args);
      model = System.currentTimeMillis();
      cl.parseArgs(args);
    }
    long parsed = System.currentTimeMillis();
    String cpu;
    try {
      String[] p = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/thread-self/schedstat")))
          .trim().split(" ");
      cpu = Long.parseLong(p[0]) / 1_000_000 + " " + Long.parseLong(p[1]) / 1_000_000;
    } catch (Exception e) {
      cpu = "-1 -1";
    }
    // then what the start needs next, ready: the warm-up thread's classes (slf4j-simple, JNA and lbkit's C bindings)
    try {
      if (warmUp != null) {
        warmUp.join(30_000);
      } else {
        for (String c : WarmUp.CLASSES) {
          long t = System.nanoTime();
          Class.forName(c, true, LbctlParsed.class.getClassLoader());
          System.out.println("L " + c + " " + (System.nanoTime() - t) / 1_000_000 + " ms");
        }
      }
    } catch (InterruptedException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    long ready = System.currentTimeMillis();
    System.out.println("T " + main + " " + main + " " + model + " " + parsed + " " + ready + " " + cpu);
    System.exit(0);
  }
}

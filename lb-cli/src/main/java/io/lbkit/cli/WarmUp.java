package io.lbkit.cli;

import java.util.List;

/**
 * {@code lbctl run}'s start on the second core: while the main thread builds picocli's model and reads the file, a
 * daemon thread initialises the classes the start needs next and whose initialisation is costly but has no effect
 * anyone sees: the logging binding (slf4j-simple reads its properties and makes its date format, which loads the
 * locale and time-zone data: ~40 ms) through the first lbkit class that logs, and JNA with lbkit's C bindings (JNA's
 * native part, its {@code ldconfig -p}, the binding's proxy, the direct mappings: ~40 ms). The main thread then finds
 * them initialised, or waits for the initialisation under way (the JVM's class initialisation lock), so the order of
 * everything observable is unchanged. Only from {@link Lbctl#main} (not in tests), only for {@code run};
 * {@code -Dlbctl.warmup=false} turns it off. If an initialisation fails here, the main thread meets it again where it
 * would have anyway (as the JVM's "Could not initialize class" error).
 */
final class WarmUp {
  /** What is initialised, in the order the main thread needs it. */
  static final List<String> CLASSES = List.of(
      "io.lbkit.runtime.Dataplane$Log",          // a logger: slf4j-simple's initialisation
      "io.lbkit.netlink.internal.LibC",          // JNA, ldconfig -p, the C binding's proxy
      "io.lbkit.netlink.internal.LibC$Direct",   // direct mappings (Native.register)
      "io.lbkit.netlink.raw.RawMsg");

  private WarmUp() {}

  /** Starts the thread if {@code args} run {@code lbctl run}; returns it, or null. */
  static Thread start(String[] args) {
    if (args.length == 0 || !args[0].equals("run") || !Boolean.parseBoolean(System.getProperty("lbctl.warmup", "true"))) {
      return null;
    }
    Thread t = new Thread(WarmUp::initialise, "lbctl-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void initialise() {
    ClassLoader loader = WarmUp.class.getClassLoader();
    for (String c : CLASSES) {
      try {
        Class.forName(c, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return; // the main thread meets it where it needs the class
      }
    }
  }
}

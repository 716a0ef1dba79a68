package io.lbkit.cli;

/**
 * SIGHUP for lbctl run's reload, and SIGTERM/SIGINT's exit status. The JDK has no public signal API; {@code sun.misc.Signal}
 * (module jdk.unsupported) is what every JVM daemon uses for this.
 */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code action} on each SIGHUP (on a thread the JVM starts per signal; keep it
   * short). Returns false if SIGHUP cannot be caught: the JVM refuses it (-Xrs), or it was
   * ignored when the process started ({@code nohup} sets SIG_IGN, and the JVM then leaves it
   * ignored: {@code handle} installs nothing and answers SIG_IGN).
   */
  @SuppressWarnings("restriction")
  static boolean onHangup(Runnable action) {
    try {
      sun.misc.SignalHandler old = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
      return old != sun.misc.SignalHandler.SIG_IGN;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Set by {@link Lbctl#main}: lbctl is its own process, not a library call inside an application's JVM. */
  static volatile boolean ownProcess;

  /**
   * In lbctl's own process, makes SIGTERM and SIGINT end it with status 0 once the shutdown hooks (the
   * graceful stop) have run, as keepalived exits 0 on SIGTERM; the JVM's own handling exits 143 / 130,
   * which service managers count as a failure. Inside another application's JVM it does nothing: those
   * signals are the application's. A signal the JVM does not let us catch (-Xrs), or one ignored when the
   * process started, keeps the JVM's handling.
   */
  @SuppressWarnings("restriction")
  static void exitZeroOnTerminate() {
    if (!ownProcess) {
      return;
    }
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.SignalHandler old = sun.misc.Signal.handle(new sun.misc.Signal(name), s -> System.exit(0));
        if (old == sun.misc.SignalHandler.SIG_IGN) {
          sun.misc.Signal.handle(new sun.misc.Signal(name), old);
        }
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // the JVM keeps this signal (-Xrs): its own exit status stays, which is all that is lost
        continue;
      }
    }
  }
}

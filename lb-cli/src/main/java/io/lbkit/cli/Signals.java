package io.lbkit.cli;

/**
 * SIGHUP for lbctl run's reload. The JDK has no public signal API; {@code sun.misc.Signal}
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
}

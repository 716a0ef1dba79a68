package io.lbkit.cli;

/**
 * SIGHUP for lbctl run's reload. The JDK has no public signal API; {@code sun.misc.Signal}
 * (module jdk.unsupported) is what every JVM daemon uses for this.
 */
final class Signals {
  private Signals() {}

  /** Runs {@code action} on each SIGHUP; returns false if the JVM does not allow it. */
  @SuppressWarnings("restriction")
  static boolean onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return false;
    }
  }
}

package io.lbkit.fleet;

import java.io.IOException;

/**
 * A compare-and-swap put refused: the key's revision was not the one the caller read
 * (someone else changed the configuration in between). Nothing was written.
 */
public final class RevisionMismatchException extends IOException {
  private final long expected;

  RevisionMismatchException(String key, long expected) {
    super("etcd key " + key + " is no longer at revision " + expected
        + (expected == 0 ? " (it exists already)" : "") + ": nothing written; read it again");
    this.expected = expected;
  }

  /** The revision the caller expected (0: the key was expected not to exist). */
  public long expected() {
    return expected;
  }
}

package io.lbkit.netlink;

import io.lbkit.netlink.internal.LibC;
import java.util.Objects;

/**
 * The native layer's one-time set-up (JNA's dispatch library, the C library binding and
 * its direct mappings), which the first socket otherwise pays for: a program whose
 * start-up time matters calls {@link #load()} on a spare thread while its main thread
 * does other work (lbctl run, while it builds its command line).
 */
public final class Natives {
  private Natives() {}

  /**
   * Loads the native layer now; idempotent, thread-safe (class initialisation).
   *
   * @throws LinkageError if JNA or the C library cannot be loaded (every socket would fail the same way)
   */
  public static void load() {
    Objects.requireNonNull(LibC.INSTANCE);
    LibC.Direct.link();
  }
}

package io.lbkit.netlink.internal;

import java.io.IOException;

/**
 * Runs code with the calling thread inside a named network namespace
 * ({@code /run/netns/NAME}, as {@code ip netns add} makes them) and moves the thread
 * back afterwards. Sockets stay in the namespace they were created in, so this is how
 * a socket for another namespace is opened. Internal.
 */
public final class Netns {
  private Netns() {}

  /** Code that may throw IOException. */
  @FunctionalInterface
  public interface IoSupplier<T> {
    /** Runs. */
    T get() throws IOException;
  }

  /** Checks a namespace name the way ip-netns does: non-empty, no '/', not "." or "..". */
  public static String checkName(String name) {
    if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
        || name.length() > 255) {
      throw new IllegalArgumentException("invalid network namespace name: \"" + name + "\"");
    }
    return name;
  }

  /**
   * Runs {@code body} inside namespace {@code name}; a null name runs it in the current one.
   *
   * @throws IllegalStateException if the thread could not be moved back (it is then unusable)
   */
  public static <T> T call(String name, IoSupplier<T> body) throws IOException {
    if (name == null) {
      return body.get();
    }
    checkName(name);
    int self = Syscalls.openReadOnly("/proc/thread-self/ns/net");
    try {
      int target = Syscalls.openReadOnly("/run/netns/" + name);
      try {
        Syscalls.setns(target, Syscalls.CLONE_NEWNET, "into network namespace " + name);
      } finally {
        Syscalls.close(target);
      }
      try {
        return body.get();
      } finally {
        try {
          Syscalls.setns(self, Syscalls.CLONE_NEWNET, "back from network namespace " + name);
        } catch (IOException e) {
          throw new IllegalStateException("thread left in network namespace " + name + ": " + e.getMessage(), e);
        }
      }
    } finally {
      Syscalls.close(self);
    }
  }
}

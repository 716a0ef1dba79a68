package io.lbkit.netlink;

import io.lbkit.netlink.internal.Netns;
import io.lbkit.netlink.internal.Syscalls;
import java.io.IOException;

/**
 * Moves a thread into a named network namespace for good: for threads that open sockets
 * of another namespace all their life, such as the health checks' loop of a runtime
 * started with a namespace (their connections must leave from the director's namespace,
 * not the JVM's).
 */
public final class NetworkNamespaces {
  private NetworkNamespaces() {}

  /**
   * Moves the calling thread into {@code /run/netns/NAME} (as {@code ip netns add} makes
   * them); sockets it opens from now on belong to that namespace, and so do programs it
   * starts. There is no way back: use it on threads you own.
   *
   * @param name the namespace's name (no '/', not "." or "..")
   * @throws IOException naming the namespace and the errno when it cannot be entered
   */
  public static void enter(String name) throws IOException {
    Netns.checkName(name);
    int target = Syscalls.openReadOnly("/run/netns/" + name);
    try {
      Syscalls.setns(target, Syscalls.CLONE_NEWNET, "into network namespace " + name);
    } finally {
      Syscalls.close(target);
    }
  }
}

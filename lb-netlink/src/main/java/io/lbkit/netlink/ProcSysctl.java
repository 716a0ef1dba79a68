package io.lbkit.netlink;

import io.lbkit.api.net.Sysctl;
import io.lbkit.netlink.internal.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * lb-api's {@link Sysctl} port on {@code /proc/sys}, in this process's network
 * namespace or in a named one ({@code /proc/sys/net} shows the namespace of the
 * thread that opens it, so each access runs with the thread moved into it).
 */
public final class ProcSysctl implements Sysctl {
  private final String netns;

  private ProcSysctl(String netns) {
    this.netns = netns;
  }

  /** The host's (this process's namespace) parameters. */
  public static ProcSysctl host() {
    return new ProcSysctl(null);
  }

  /** The parameters of a named network namespace ({@code ip netns add NAME}). */
  public static ProcSysctl inNetns(String name) {
    return new ProcSysctl(Netns.checkName(name));
  }

  static Path pathOf(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.\\-]+") || name.contains("..") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid sysctl name: \"" + name + "\"");
    }
    return Path.of("/proc/sys", name.replace('.', '/'));
  }

  @Override
  public String read(String name) throws IOException {
    Path p = pathOf(name);
    return Netns.call(netns, () -> Files.readString(p, StandardCharsets.US_ASCII).trim());
  }

  @Override
  public void write(String name, String value) throws IOException {
    Path p = pathOf(name);
    if (value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("sysctl value must be one line: \"" + value + "\"");
    }
    Netns.call(netns, () -> Files.writeString(p, value + "\n", StandardCharsets.US_ASCII));
  }
}

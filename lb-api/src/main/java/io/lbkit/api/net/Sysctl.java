package io.lbkit.api.net;

import java.io.IOException;

/**
 * Port: kernel parameters under {@code /proc/sys}, named as sysctl(8) names them
 * ({@code net.ipv4.conf.all.arp_ignore}). lb-netlink's {@code ProcSysctl} is the real
 * one (optionally inside a network namespace); lb-testing's {@code FakeSysctl} fakes it.
 */
public interface Sysctl {
  /** The value, trimmed. @throws java.nio.file.NoSuchFileException if there is no such parameter */
  String read(String name) throws IOException;

  /** Sets the value. */
  void write(String name, String value) throws IOException;
}

package io.lbkit.testing;

import io.lbkit.api.net.Sysctl;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory {@link Sysctl} with /proc/sys's behaviour (it passes {@link SysctlContract}, as
 * lb-netlink's {@code ProcSysctl} does): only the parameters it was given exist
 * (NoSuchFileException naming the path otherwise, for reads and writes), a parameter
 * defined as integers takes only integers (an IOException, as the kernel's EINVAL, and the
 * value is kept), names and values are checked as ProcSysctl checks them. Records every
 * write.
 *
 * <pre>{@code
 * FakeSysctl sysctl = new FakeSysctl().define("net.ipv4.conf.all.arp_ignore", "0");
 * DirectRoutingRealServer.configure(sysctl, ...);
 * assertThat(sysctl.writes()).contains("net.ipv4.conf.all.arp_ignore=1");
 * }</pre>
 */
public final class FakeSysctl implements Sysctl {
  private static final String INTEGERS = "-?[0-9]+(\\s+-?[0-9]+)*";

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> writes = new ArrayList<>();

  /** Defines a parameter with a value. @throws IllegalArgumentException for a name ProcSysctl would refuse */
  public synchronized FakeSysctl define(String name, String value) {
    values.put(checkName(name), value);
    return this;
  }

  @Override
  public synchronized String read(String name) throws NoSuchFileException {
    String v = values.get(checkName(name));
    if (v == null) {
      throw new NoSuchFileException(path(name));
    }
    return v.trim();
  }

  @Override
  public synchronized void write(String name, String value) throws IOException {
    String old = read(name);
    if (value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("sysctl value must be one line: \"" + value + "\"");
    }
    if (old.matches(INTEGERS) && !value.trim().matches(INTEGERS)) {
      throw new IOException("Invalid argument: " + path(name) + " takes integers, not \"" + value + "\"");
    }
    values.put(name, value);
    writes.add(name + "=" + value);
  }

  /** Every write, as {@code name=value}. */
  public synchronized List<String> writes() {
    return List.copyOf(writes);
  }

  private static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.\\-]+") || name.contains("..") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid sysctl name: \"" + name + "\"");
    }
    return name;
  }

  private static String path(String name) {
    return "/proc/sys/" + name.replace('.', '/');
  }
}

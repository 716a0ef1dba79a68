package io.lbkit.testing;

import io.lbkit.api.net.Sysctl;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/**
 * In-memory {@link Sysctl}: only the parameters it was given exist (NoSuchFileException
 * otherwise, as /proc/sys answers). Records every write.
 */
public final class FakeSysctl implements Sysctl {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> writes = new ArrayList<>();

  /** Defines a parameter with a value. */
  public synchronized FakeSysctl define(String name, String value) {
    values.put(name, value);
    return this;
  }

  @Override
  public synchronized String read(String name) throws NoSuchFileException {
    String v = values.get(name);
    if (v == null) {
      throw new NoSuchFileException("/proc/sys/" + name.replace('.', '/'));
    }
    return v;
  }

  @Override
  public synchronized void write(String name, String value) throws NoSuchFileException {
    read(name);
    values.put(name, value);
    writes.add(name + "=" + value);
  }

  /** Every write, as {@code name=value}. */
  public synchronized List<String> writes() {
    return List.copyOf(writes);
  }
}

package io.lbkit.testing;

import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Failover} whose states the test sets. New instances start in BACKUP
 * (MASTER at priority 255, the address owner); {@link #setState} moves one.
 */
public final class FakeFailover implements Failover {
  private final Map<String, InstanceStatus> states = new LinkedHashMap<>();
  private List<VrrpInstanceSpec> instances = List.of();
  private int updates;
  private boolean closed;

  @Override
  public synchronized void setInstances(List<VrrpInstanceSpec> list, List<VrrpSyncGroupSpec> groups) {
    Map<String, InstanceStatus> next = new LinkedHashMap<>();
    for (VrrpInstanceSpec s : list) {
      InstanceStatus old = states.get(s.name());
      VrrpState st = old != null ? old.state() : s.priority() == 255 ? VrrpState.MASTER : VrrpState.BACKUP;
      next.put(s.name(), new InstanceStatus(st, s.priority()));
    }
    states.clear();
    states.putAll(next);
    instances = List.copyOf(list);
    updates++;
  }

  /** Moves an instance to a state. */
  public synchronized void setState(String name, VrrpState state) {
    InstanceStatus s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no instance " + name);
    }
    states.put(name, new InstanceStatus(state, s.priority()));
  }

  @Override
  public synchronized Map<String, InstanceStatus> status() {
    return Map.copyOf(states);
  }

  /** The instances it runs. */
  public synchronized List<VrrpInstanceSpec> instances() {
    return instances;
  }

  /** How many times setInstances was called. */
  public synchronized int updates() {
    return updates;
  }

  /** True after a graceful close. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    states.replaceAll((k, v) -> new InstanceStatus(VrrpState.STOP, 0));
  }
}

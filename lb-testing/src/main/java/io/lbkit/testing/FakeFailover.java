package io.lbkit.testing;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Failover} whose states the test sets, with lb-vrrp's {@code VrrpFailover}'s
 * observable behaviour (both pass {@link FailoverContract}): new instances start in
 * BACKUP (MASTER at once at priority 255, the address owner); {@link #setState} moves
 * one; listeners hear every transition (INIT → BACKUP, BACKUP → MASTER, ... → STOP);
 * given an {@link AddressManager}, a master's virtual addresses (virtual_ipaddress and
 * virtual_ipaddress_excluded) are added there and removed when it leaves MASTER, is
 * dropped or stops; setting the same instances again changes nothing; a changed
 * priority shows at once and a master keeps its addresses; after {@link #close} the
 * status is empty. Listeners run on the calling thread.
 *
 * <pre>{@code
 * FakeAddressManager addresses = new FakeAddressManager("eth0");
 * FakeFailover vrrp = new FakeFailover(addresses).addListener((name, from, to, why) -> log.add(name + " " + to));
 * vrrp.setInstances(List.of(spec), List.of());   // VI_1 BACKUP
 * vrrp.setState("VI_1", VrrpState.MASTER);        // its VIPs are on eth0
 * }</pre>
 */
public final class FakeFailover implements Failover {
  private final AddressManager addresses;
  private final List<VrrpListener> listeners = new ArrayList<>();
  private final Map<String, VrrpInstanceSpec> specs = new LinkedHashMap<>();
  private final Map<String, InstanceStatus> states = new LinkedHashMap<>();
  private List<VrrpInstanceSpec> instances = List.of();
  private List<VrrpSyncGroupSpec> groups = List.of();
  private int updates;
  private boolean closed;

  /** A fake that holds no addresses (states only). */
  public FakeFailover() {
    this(null);
  }

  /** A fake whose masters add their virtual addresses to {@code addresses} (null: none). */
  public FakeFailover(AddressManager addresses) {
    this.addresses = addresses;
  }

  /** Adds a listener, told of every transition on the thread that causes it. */
  public synchronized FakeFailover addListener(VrrpListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public synchronized void setInstances(List<VrrpInstanceSpec> list, List<VrrpSyncGroupSpec> syncGroups) {
    updates++;
    if (!states.isEmpty() && list.equals(instances) && syncGroups.equals(groups)) {
      return;
    }
    closed = false;
    Set<String> keep = new HashSet<>();
    list.forEach(s -> keep.add(s.name()));
    for (String name : List.copyOf(states.keySet())) {
      if (!keep.contains(name)) {
        stop(name, "removed from the configuration");
      }
    }
    Map<String, InstanceStatus> next = new LinkedHashMap<>();
    for (VrrpInstanceSpec s : list) {
      InstanceStatus old = states.get(s.name());
      if (old == null) {
        VrrpState st = s.priority() == 255 ? VrrpState.MASTER : VrrpState.BACKUP;
        if (st == VrrpState.MASTER) {
          addresses(s.virtualAddresses(), s, true);
          addresses(s.excludedAddresses(), s, true);
        }
        next.put(s.name(), new InstanceStatus(st, s.priority()));
        specs.put(s.name(), s);
        tell(s.name(), VrrpState.INIT, st, st == VrrpState.MASTER ? "priority 255: address owner" : "startup");
      } else {
        if (old.state() == VrrpState.MASTER) {
          VrrpInstanceSpec was = specs.get(s.name());
          addresses(minus(was.virtualAddresses(), s.virtualAddresses()), s, false);
          addresses(minus(was.excludedAddresses(), s.excludedAddresses()), s, false);
          addresses(minus(s.virtualAddresses(), was.virtualAddresses()), s, true);
          addresses(minus(s.excludedAddresses(), was.excludedAddresses()), s, true);
        }
        specs.put(s.name(), s);
        next.put(s.name(), new InstanceStatus(old.state(), s.priority()));
      }
    }
    states.clear();
    states.putAll(next);
    instances = List.copyOf(list);
    groups = List.copyOf(syncGroups);
  }

  /**
   * Moves an instance to a state: to MASTER adds its addresses, leaving MASTER removes
   * them; listeners hear it.
   *
   * @throws IllegalArgumentException if there is no such instance
   */
  public synchronized void setState(String name, VrrpState state) {
    InstanceStatus s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no instance " + name + "; have " + states.keySet());
    }
    if (s.state() == state) {
      return;
    }
    VrrpInstanceSpec spec = specs.get(name);
    if (s.state() == VrrpState.MASTER) {
      addresses(spec.virtualAddresses(), spec, false);
      addresses(spec.excludedAddresses(), spec, false);
    } else if (state == VrrpState.MASTER) {
      addresses(spec.virtualAddresses(), spec, true);
      addresses(spec.excludedAddresses(), spec, true);
    }
    states.put(name, new InstanceStatus(state, s.priority()));
    tell(name, s.state(), state, "set by the test");
  }

  /** Each running instance's state and priority, in configuration order; empty after {@link #close}. */
  @Override
  public synchronized Map<String, InstanceStatus> status() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  /** The instances last set (empty after {@link #close}). */
  public synchronized List<VrrpInstanceSpec> instances() {
    return instances;
  }

  /** How many times setInstances was called (an identical call counts, though it changes nothing). */
  public synchronized int updates() {
    return updates;
  }

  /** True after a graceful close, until instances are set again. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Stops every instance gracefully (a master's addresses removed, listeners told of STOP). Idempotent. */
  @Override
  public synchronized void close() {
    for (String name : List.copyOf(states.keySet())) {
      stop(name, "failover closed");
    }
    instances = List.of();
    groups = List.of();
    closed = true;
  }

  private void stop(String name, String reason) {
    InstanceStatus s = states.remove(name);
    VrrpInstanceSpec spec = specs.remove(name);
    if (s.state() == VrrpState.MASTER) {
      addresses(spec.virtualAddresses(), spec, false);
      addresses(spec.excludedAddresses(), spec, false);
    }
    tell(name, s.state(), VrrpState.STOP, reason);
  }

  private void tell(String name, VrrpState from, VrrpState to, String reason) {
    for (VrrpListener l : listeners) {
      l.stateChanged(name, from, to, reason);
    }
  }

  private void addresses(List<VirtualAddress> vas, VrrpInstanceSpec s, boolean add) {
    if (addresses == null) {
      return;
    }
    for (VirtualAddress va : vas) {
      String dev = va.interfaceName() != null ? va.interfaceName() : s.interfaceName();
      try {
        if (add) {
          addresses.add(dev, va.address());
        } else {
          addresses.remove(dev, va.address());
        }
      } catch (IOException e) {
        // as VrrpFailover (which logs it): a failed address change does not stop the protocol
      }
    }
  }

  private static <T> List<T> minus(List<T> a, List<T> b) {
    return a.stream().filter(x -> !b.contains(x)).toList();
  }
}

package io.lbkit.testing;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link AddressManager} with the kernel's semantics: interfaces must
 * exist (ENODEV otherwise), an address is identified by address and prefix, adding
 * twice or removing an absent one reports {@link Change#ALREADY}. Thread-safe.
 */
public final class FakeAddressManager implements AddressManager {
  private final Map<String, List<IfAddress>> interfaces = new LinkedHashMap<>();
  private final List<String> log = new ArrayList<>();

  /** A fake with these interfaces, all without addresses. */
  public FakeAddressManager(String... interfaceNames) {
    for (String n : interfaceNames) {
      interfaces.put(n, new ArrayList<>());
    }
  }

  /** Adds an interface. */
  public synchronized FakeAddressManager addInterface(String name) {
    interfaces.putIfAbsent(name, new ArrayList<>());
    return this;
  }

  @Override
  public synchronized List<IfAddress> addresses(String interfaceName) throws KernelException {
    return List.copyOf(iface("list addresses", interfaceName));
  }

  @Override
  public synchronized Change add(String interfaceName, IfAddress address) throws KernelException {
    List<IfAddress> l = iface("add address " + address, interfaceName);
    for (IfAddress a : l) {
      if (a.address().equals(address.address()) && a.prefixLength() == address.prefixLength()) {
        return Change.ALREADY;
      }
    }
    l.add(address);
    log.add("add " + interfaceName + " " + address);
    return Change.DONE;
  }

  @Override
  public synchronized Change remove(String interfaceName, IfAddress address) throws KernelException {
    List<IfAddress> l = iface("delete address " + address, interfaceName);
    boolean removed = l.removeIf(a -> a.address().equals(address.address())
        && a.prefixLength() == address.prefixLength());
    if (removed) {
      log.add("del " + interfaceName + " " + address);
    }
    return removed ? Change.DONE : Change.ALREADY;
  }

  /** Every change made, as {@code "add eth0 192.168.0.200/32"} / {@code "del ..."}. */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** True if the interface holds this address (any prefix). */
  public synchronized boolean has(String interfaceName, java.net.InetAddress address) {
    return interfaces.getOrDefault(interfaceName, List.of()).stream().anyMatch(a -> a.address().equals(address));
  }

  private List<IfAddress> iface(String op, String name) throws KernelException {
    List<IfAddress> l = interfaces.get(name);
    if (l == null) {
      throw KernelException.of(KernelException.Subject.OTHER, "rtnetlink " + op + " on " + name, Errno.ENODEV, null);
    }
    return l;
  }
}

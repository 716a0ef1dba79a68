package io.lbkit.runtime;

import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.Route;
import io.lbkit.api.net.RouteManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A route table in memory for these tests (lb-testing will have its own fake). */
final class TestRoutes implements RouteManager {
  private final Set<Route> table = new LinkedHashSet<>();
  private final List<String> log = new ArrayList<>();

  @Override
  public synchronized AddressManager.Change add(Route r) {
    log.add("add " + StaticNetwork.describe(r));
    return table.add(r) ? AddressManager.Change.DONE : AddressManager.Change.ALREADY;
  }

  @Override
  public synchronized AddressManager.Change remove(Route r) {
    log.add("del " + StaticNetwork.describe(r));
    return table.remove(r) ? AddressManager.Change.DONE : AddressManager.Change.ALREADY;
  }

  synchronized Set<Route> table() {
    return Set.copyOf(table);
  }

  synchronized List<String> log() {
    return List.copyOf(log);
  }
}

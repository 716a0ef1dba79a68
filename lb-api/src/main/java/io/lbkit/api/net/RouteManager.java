package io.lbkit.api.net;

import java.io.IOException;

/** Port: routes (rtnetlink RTM_NEWROUTE/DELROUTE). */
public interface RouteManager {
  /** Adds a route; ALREADY if it exists. */
  AddressManager.Change add(Route route) throws IOException;

  /** Deletes a route; ALREADY if it does not exist. */
  AddressManager.Change remove(Route route) throws IOException;
}

package io.lbkit.api.net;

import java.io.IOException;
import java.util.List;

/**
 * Port: addresses on network interfaces (rtnetlink RTM_NEWADDR/DELADDR/GETADDR).
 * Adding an address that is there, or removing one that is not, is a state to
 * reconcile, not an error: the result says which happened.
 */
public interface AddressManager {

  /** What an add or remove did. */
  enum Change {
    /** The address was added or removed. */
    DONE,
    /** Nothing to do: it was already there (add) or already gone (remove). */
    ALREADY
  }

  /** Addresses on an interface. @throws io.lbkit.api.kernel.KernelException (ENODEV) if no such interface */
  List<IfAddress> addresses(String interfaceName) throws IOException;

  /** Adds an address; {@link Change#ALREADY} if present (EEXIST). */
  Change add(String interfaceName, IfAddress address) throws IOException;

  /** Removes an address; {@link Change#ALREADY} if absent (EADDRNOTAVAIL). */
  Change remove(String interfaceName, IfAddress address) throws IOException;
}

package io.lbkit.api.check;

import io.lbkit.api.Director;
import io.lbkit.api.VirtualService;
import java.util.Collection;

/**
 * Port: health checking of the real servers of a set of virtual services
 * (lb-checks implements it; lb-testing's {@code ScriptedHealthChecking} fakes it).
 * Verdicts go to the listener given when it was created, typically
 * {@link Director#onHealth}.
 */
public interface HealthChecking extends AutoCloseable {
  /**
   * Checks exactly the real servers of these services from now on: new servers start
   * being checked, removed ones stop, and servers whose checks did not change keep
   * their state and schedule (no re-check storm on a configuration change).
   */
  void setServices(Collection<VirtualService> services);

  /** Stops every check; no event is delivered after it returns. */
  @Override
  void close();
}

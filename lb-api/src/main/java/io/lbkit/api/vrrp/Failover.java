package io.lbkit.api.vrrp;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Port: VRRP failover of virtual addresses (lb-vrrp implements it). A
 * {@link io.lbkit.api.LoadBalancer} holds one.
 */
public interface Failover extends AutoCloseable {
  /**
   * Runs exactly these instances and sync groups from now on. Unchanged instances keep
   * their state (no VIP flap); a changed priority takes effect in the next advert;
   * removed instances stop gracefully.
   */
  void setInstances(List<VrrpInstanceSpec> instances, List<VrrpSyncGroupSpec> syncGroups) throws IOException;

  /** Each instance's current state and effective priority, by name. */
  Map<String, InstanceStatus> status();

  /** Stops gracefully: priority 0 adverts, virtual addresses removed. */
  @Override
  void close() throws IOException;

  /**
   * One instance's state.
   *
   * @param state its state
   * @param priority its effective priority (configured plus tracking weights)
   */
  record InstanceStatus(VrrpState state, int priority) {}
}

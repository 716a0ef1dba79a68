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

  /**
   * Adverts dropped on each interface before reaching an instance (a VRID no instance
   * runs there, or undecodable): interface to reason to count, only non-zero counts.
   * The default has none.
   */
  default Map<String, Map<String, Long>> unmatchedDrops() {
    return Map.of();
  }

  /** Stops gracefully: priority 0 adverts, virtual addresses removed. */
  @Override
  void close() throws IOException;

  /**
   * One instance's state.
   *
   * @param state its state
   * @param priority its effective priority (configured plus tracking weights)
   * @param drops adverts dropped for this instance by reason ({@code ttl}, {@code version}, {@code type},
   *     {@code length}, {@code checksum}, {@code interval}, {@code auth}, {@code address_list} ...), only
   *     non-zero counts
   */
  record InstanceStatus(VrrpState state, int priority, Map<String, Long> drops) {
    /** Copies. */
    public InstanceStatus {
      drops = Map.copyOf(drops);
    }

    /** With no drops. */
    public InstanceStatus(VrrpState state, int priority) {
      this(state, priority, Map.of());
    }
  }
}

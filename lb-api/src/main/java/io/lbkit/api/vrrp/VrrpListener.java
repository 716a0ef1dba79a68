package io.lbkit.api.vrrp;

/** Told of every VRRP state change, off the protocol thread's critical path. */
@FunctionalInterface
public interface VrrpListener {
  /**
   * An instance changed state.
   *
   * @param instance the instance's name
   * @param from the old state
   * @param to the new state
   * @param reason why, e.g. {@code "master down timer expired"} or {@code "higher priority 150 from 10.0.0.2"}
   */
  void stateChanged(String instance, VrrpState from, VrrpState to, String reason);
}

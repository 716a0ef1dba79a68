package io.lbkit.vrrp.internal;

import io.lbkit.api.vrrp.VrrpState;

/** What the machine asks its runtime to do. Called with the machine's lock held. */
public interface VrrpFsmOutput {
  /** Send an advertisement now with this priority (0 = master stopping). */
  void sendAdvert(int priority);

  /** Entered MASTER: add the virtual addresses and announce them (GARP / NA). */
  void addAddresses();

  /** Left MASTER: remove the virtual addresses. */
  void removeAddresses();

  /** The state changed. */
  void stateChanged(VrrpState from, VrrpState to, String reason);
}

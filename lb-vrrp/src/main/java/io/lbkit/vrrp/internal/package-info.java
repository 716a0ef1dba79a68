/**
 * Internals of lb-vrrp, public only for its own packages and benchmarks: the
 * {@link io.lbkit.vrrp.internal.VrrpCodec} (pure byte codec with drop reasons), the
 * {@link io.lbkit.vrrp.internal.VrrpFsm} state machine on an injected clock, and the
 * {@link io.lbkit.vrrp.internal.VrrpTimers} formulas. Not an API: may change.
 */
package io.lbkit.vrrp.internal;

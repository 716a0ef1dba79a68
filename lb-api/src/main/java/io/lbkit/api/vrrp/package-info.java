/**
 * VRRP values and hooks (lb-vrrp runs them): {@link io.lbkit.api.vrrp.VrrpInstanceSpec},
 * {@link io.lbkit.api.vrrp.VrrpSyncGroupSpec}, {@link io.lbkit.api.vrrp.TrackedScript},
 * {@link io.lbkit.api.vrrp.VrrpState} and {@link io.lbkit.api.vrrp.VrrpListener}; keywords carried only for export
 * in {@link io.lbkit.api.vrrp.VrrpExtras} (with {@link io.lbkit.api.vrrp.TrackedObject}).
 */
package io.lbkit.api.vrrp;

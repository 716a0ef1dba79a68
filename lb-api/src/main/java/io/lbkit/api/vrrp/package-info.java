/**
 * VRRP values and hooks (lb-vrrp runs them): {@link io.lbkit.api.vrrp.VrrpInstanceSpec},
 * {@link io.lbkit.api.vrrp.VrrpSyncGroupSpec}, {@link io.lbkit.api.vrrp.TrackedScript},
 * {@link io.lbkit.api.vrrp.TrackedFile}, {@link io.lbkit.api.vrrp.VirtualAddress},
 * {@link io.lbkit.api.vrrp.VrrpState} and {@link io.lbkit.api.vrrp.VrrpListener}; the failover port
 * {@link io.lbkit.api.vrrp.Failover} (lb-vrrp's {@code VrrpFailover}, lb-testing's {@code FakeFailover});
 * keywords carried only for export in {@link io.lbkit.api.vrrp.VrrpExtras} and
 * {@link io.lbkit.api.vrrp.SyncGroupExtras} (with {@link io.lbkit.api.vrrp.TrackedObject}).
 */
package io.lbkit.api.vrrp;

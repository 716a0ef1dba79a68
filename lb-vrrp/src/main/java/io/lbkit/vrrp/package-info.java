/**
 * VRRP v2/v3 (RFC 3768, RFC 5798/9568) for Java applications: keepalived's
 * vrrp_instance and vrrp_sync_group, interoperable with keepalived.
 *
 * <p>Entry types: {@link io.lbkit.vrrp.VrrpRouter} (runs instances: election, VIPs
 * through an {@link io.lbkit.api.net.AddressManager}, gratuitous ARP / unsolicited NA,
 * tracking, listeners and notify scripts), {@link io.lbkit.vrrp.VrrpInstance} (state
 * and counters of one instance; live changes through {@code VrrpRouter.reconfigure}),
 * {@link io.lbkit.vrrp.VrrpFailover} (lb-api's Failover port), the transports {@link io.lbkit.vrrp.RawVrrpTransport}
 * (raw sockets, real links) and {@link io.lbkit.vrrp.InMemoryVrrpNetwork} (tests and
 * simulations on a manual clock), the {@link io.lbkit.vrrp.VrrpTransport} port and
 * {@link io.lbkit.vrrp.ProcessRunner} (how scripts run, without a shell).
 *
 * <p>The codec and the pure state machine are in {@code io.lbkit.vrrp.internal}.
 * Virtual routes go through an {@link io.lbkit.api.net.RouteManager}.
 * Not supported: IPsec AH authentication (refused, counted), no_accept enforcement
 * (the flag is carried but no filtering is installed: a master accepts traffic to its
 * VIPs, as keepalived does by default).
 */
package io.lbkit.vrrp;

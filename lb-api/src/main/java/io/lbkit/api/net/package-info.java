/**
 * Ports for interface addresses and routes: {@link io.lbkit.api.net.AddressManager}
 * and {@link io.lbkit.api.net.RouteManager}, with their values
 * {@link io.lbkit.api.net.IfAddress} and {@link io.lbkit.api.net.Route}; {@link io.lbkit.api.net.Sysctl};
 * {@link io.lbkit.api.net.DirectRoutingRealServer} (a DR real server's VIP set-up); and
 * {@link io.lbkit.api.net.Inet}, address parsing and formatting.
 */
package io.lbkit.api.net;

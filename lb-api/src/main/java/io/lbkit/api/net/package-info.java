/**
 * Ports for interface addresses and routes: {@link io.lbkit.api.net.AddressManager}
 * and {@link io.lbkit.api.net.RouteManager}, with their values
 * {@link io.lbkit.api.net.IfAddress} and {@link io.lbkit.api.net.Route}.
 */
package io.lbkit.api.net;

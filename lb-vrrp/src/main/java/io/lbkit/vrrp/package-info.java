/**
 * VRRP v2/v3 (RFC 3768, RFC 5798/9568) for Java applications: keepalived's
 * vrrp_instance and vrrp_sync_group, interoperable with keepalived.
 *
 * <p>Entry types: {@link io.lbkit.vrrp.VrrpRouter} (runs instances: election, VIPs
 * through an {@link io.lbkit.api.net.AddressManager}, gratuitous ARP / unsolicited NA,
 * tracking, listeners and notify scripts), {@link io.lbkit.vrrp.VrrpInstance} (state
 * and counters of one instance; live changes through {@code VrrpRouter.reconfigure}),
 * {@link io.lbkit.vrrp.TrackingStatus} (what the tracking sees: scripts, track files, tracked links),
 * {@link io.lbkit.vrrp.VrrpFailover} (lb-api's Failover port), the transports {@link io.lbkit.vrrp.RawVrrpTransport}
 * (raw sockets, real links) and {@link io.lbkit.vrrp.InMemoryVrrpNetwork} (tests and
 * simulations on a manual clock), the {@link io.lbkit.vrrp.VrrpTransport} port and
 * {@link io.lbkit.vrrp.ProcessRunner} (how scripts run, without a shell).
 *
 * <p>Timing: a master sends its adverts on a grid of its advert interval shared by
 * every instance on the same clock (so many instances wake the timer thread once per
 * interval, as keepalived's event loop does); the advert after a takeover therefore
 * comes within one interval, often sooner, and then exactly one interval apart. A
 * backup's timers run from the kernel's receive time of the last advert and are woken
 * early and spun to the deadline, so a failover is not lengthened by wake-up latency.
 * A {@link java.util.concurrent.ScheduledThreadPoolExecutor} given to
 * {@code TimerService.system} is best set to remove cancelled tasks
 * ({@code setRemoveOnCancelPolicy(true)}).
 *
 * <p>Dependencies: lb-netlink (and through it JNA) is optional. Only
 * {@link io.lbkit.vrrp.RawVrrpTransport} needs it (raw IP and packet sockets); an
 * application on real links declares lb-netlink next to lb-vrrp (it also wants
 * lb-netlink's {@code NetlinkAddressManager}). Everything else, the in-memory path
 * included ({@link io.lbkit.vrrp.InMemoryVrrpNetwork}, {@link io.lbkit.vrrp.VrrpRouter},
 * {@link io.lbkit.vrrp.VrrpFailover}), loads and runs without lb-netlink on the class path.
 *
 * <p>The codec and the pure state machine are in {@code io.lbkit.vrrp.internal}.
 * Virtual routes go through an {@link io.lbkit.api.net.RouteManager}.
 * Not supported: IPsec AH authentication (refused, counted), no_accept enforcement
 * (the flag is carried but no filtering is installed: a master accepts traffic to its
 * VIPs, as keepalived does by default).
 */
package io.lbkit.vrrp;

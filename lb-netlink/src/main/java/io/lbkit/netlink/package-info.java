/**
 * The only place lbkit talks to the Linux kernel. Entries:
 * <ul>
 *   <li>{@link io.lbkit.netlink.NetlinkIpvs}: lb-api's {@code Ipvs} port over the IPVS generic
 *       netlink family ({@code open()} or {@code open(netns)}; an
 *       {@link io.lbkit.netlink.IpvsUnavailableException} when the kernel has no IPVS);</li>
 *   <li>{@link io.lbkit.netlink.NetlinkAddressManager}: lb-api's {@code AddressManager} (VIPs,
 *       IPv4 and IPv6, NODAD, labels) and the links they live on;</li>
 *   <li>{@link io.lbkit.netlink.NetlinkRouteManager}: lb-api's {@code RouteManager}
 *       (keepalived's static and virtual routes);</li>
 *   <li>{@link io.lbkit.netlink.ProcSysctl}: lb-api's {@code Sysctl} over {@code /proc/sys};</li>
 *   <li>{@link io.lbkit.netlink.LinkMonitor}: link and address events on a daemon thread;</li>
 *   <li>{@link io.lbkit.netlink.NetworkNamespaces}: moves a thread into a named namespace for good.</li>
 * </ul>
 * Each opens in the current or a named network namespace. rtnetlink's values and pure codecs
 * are in {@code io.lbkit.netlink.rtnl}, raw IP / packet sockets in {@code io.lbkit.netlink.raw};
 * {@code io.lbkit.netlink.internal} is the shared native layer and not an API.
 */
package io.lbkit.netlink;

/**
 * The only place lbkit talks to the Linux kernel. Entry: {@link io.lbkit.netlink.NetlinkIpvs}
 * (lb-api's {@code Ipvs} port over the IPVS generic netlink family, {@code open()} or
 * {@code open(netns)}). rtnetlink (addresses, links, routes, events) lives in
 * {@code io.lbkit.netlink.rtnl}, raw IP / packet sockets in {@code io.lbkit.netlink.raw};
 * {@code io.lbkit.netlink.internal} is the shared native layer and not an API.
 */
package io.lbkit.netlink;

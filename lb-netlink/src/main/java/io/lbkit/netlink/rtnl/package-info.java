/**
 * rtnetlink as values and pure codecs: {@link io.lbkit.netlink.rtnl.Link},
 * {@link io.lbkit.netlink.rtnl.Address} and {@link io.lbkit.netlink.rtnl.RtnlEvent} are what
 * the kernel reports; {@link io.lbkit.netlink.rtnl.RtnlCodec} (links, addresses) and
 * {@link io.lbkit.netlink.rtnl.RouteCodec} (routes) build requests into an
 * {@code NlWriter} and decode replies and events from bytes, with no I/O;
 * {@link io.lbkit.netlink.rtnl.Rtnl} holds the uapi numbers.
 *
 * <p>The entries that talk to the kernel are in {@code io.lbkit.netlink}:
 * {@code NetlinkAddressManager} (lb-api's {@code AddressManager}, plus links),
 * {@code NetlinkRouteManager} (lb-api's {@code RouteManager}) and {@code LinkMonitor}
 * (link and address events on a daemon thread).
 */
package io.lbkit.netlink.rtnl;

/**
 * The only place lbkit talks to the Linux kernel: netlink sockets over one package-private
 * JNA binding, the IPVS generic-netlink family ({@code NetlinkIpvs}), rtnetlink (addresses,
 * links, routes) and raw IP / packet sockets for VRRP and gratuitous ARP.
 */
package io.lbkit.netlink;

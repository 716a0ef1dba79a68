/**
 * Raw sockets for VRRP: {@link io.lbkit.netlink.raw.RawIpSocket} (IP protocol 112 on
 * one interface, IPv4 or IPv6, multicast group membership, TTL / hop limit 255 and
 * the received TTL, source and destination) and {@link io.lbkit.netlink.raw.PacketSocket}
 * (AF_PACKET frames: gratuitous ARP and unsolicited IPv6 neighbour advertisements,
 * whose bytes {@link io.lbkit.netlink.raw.Announcements} builds).
 */
package io.lbkit.netlink.raw;

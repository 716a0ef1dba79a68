package io.lbkit.netlink.rtnl;

/**
 * rtnetlink numbers from the kernel's uapi headers ({@code linux/rtnetlink.h},
 * {@code linux/if_link.h}, {@code linux/if_addr.h}, {@code linux/if.h}) and the sizes of
 * their fixed headers. Names are the C names.
 */
public final class Rtnl {
  private Rtnl() {}

  /** RTM_NEWLINK. */
  public static final int RTM_NEWLINK = 16;
  /** RTM_DELLINK. */
  public static final int RTM_DELLINK = 17;
  /** RTM_GETLINK. */
  public static final int RTM_GETLINK = 18;
  /** RTM_NEWADDR. */
  public static final int RTM_NEWADDR = 20;
  /** RTM_DELADDR. */
  public static final int RTM_DELADDR = 21;
  /** RTM_GETADDR. */
  public static final int RTM_GETADDR = 22;
  /** RTM_NEWROUTE. */
  public static final int RTM_NEWROUTE = 24;
  /** RTM_DELROUTE. */
  public static final int RTM_DELROUTE = 25;
  /** RTM_GETROUTE. */
  public static final int RTM_GETROUTE = 26;

  /** sizeof(struct ifinfomsg): family, pad, type u16, index s32, flags u32, change u32. */
  public static final int IFINFOMSG_LEN = 16;
  /** sizeof(struct ifaddrmsg): family, prefixlen, flags, scope, index u32. */
  public static final int IFADDRMSG_LEN = 8;
  /** sizeof(struct rtmsg): family, dst_len, src_len, tos, table, protocol, scope, type, flags u32. */
  public static final int RTMSG_LEN = 12;
  /** sizeof(struct ifa_cacheinfo): prefered, valid, cstamp, tstamp (u32 each). */
  public static final int IFA_CACHEINFO_LEN = 16;

  /** IFLA_ADDRESS: the link-layer address. */
  public static final int IFLA_ADDRESS = 1;
  /** IFLA_BROADCAST. */
  public static final int IFLA_BROADCAST = 2;
  /** IFLA_IFNAME. */
  public static final int IFLA_IFNAME = 3;
  /** IFLA_MTU. */
  public static final int IFLA_MTU = 4;
  /** IFLA_LINK. */
  public static final int IFLA_LINK = 5;
  /** IFLA_MASTER. */
  public static final int IFLA_MASTER = 10;
  /** IFLA_OPERSTATE (u8, IF_OPER_*). */
  public static final int IFLA_OPERSTATE = 16;
  /** IFLA_EXT_MASK (u32, RTEXT_FILTER_*). */
  public static final int IFLA_EXT_MASK = 29;
  /** Highest IFLA_* the decoder keeps. */
  static final int IFLA_MAX_KNOWN = IFLA_EXT_MASK;

  /** IFA_ADDRESS: the prefix address (the peer on point-to-point links). */
  public static final int IFA_ADDRESS = 1;
  /** IFA_LOCAL: the interface's own address. */
  public static final int IFA_LOCAL = 2;
  /** IFA_LABEL (IPv4). */
  public static final int IFA_LABEL = 3;
  /** IFA_BROADCAST (IPv4). */
  public static final int IFA_BROADCAST = 4;
  /** IFA_ANYCAST. */
  public static final int IFA_ANYCAST = 5;
  /** IFA_CACHEINFO (struct ifa_cacheinfo). */
  public static final int IFA_CACHEINFO = 6;
  /** IFA_MULTICAST. */
  public static final int IFA_MULTICAST = 7;
  /** IFA_FLAGS (u32: all IFA_F_* bits; the header's u8 holds only the low 8). */
  public static final int IFA_FLAGS = 8;
  /** Highest IFA_* the decoder keeps. */
  static final int IFA_MAX_KNOWN = IFA_FLAGS;

  /** IFA_F_SECONDARY. */
  public static final int IFA_F_SECONDARY = 0x01;
  /** IFA_F_NODAD: no duplicate address detection (IPv6). */
  public static final int IFA_F_NODAD = 0x02;
  /** IFA_F_DADFAILED. */
  public static final int IFA_F_DADFAILED = 0x08;
  /** IFA_F_TENTATIVE: DAD still running. */
  public static final int IFA_F_TENTATIVE = 0x40;
  /** IFA_F_PERMANENT: configured, not autoconfigured. */
  public static final int IFA_F_PERMANENT = 0x80;
  /** IFA_F_NOPREFIXROUTE. */
  public static final int IFA_F_NOPREFIXROUTE = 0x200;

  /** RTA_DST. */
  public static final int RTA_DST = 1;
  /** RTA_SRC. */
  public static final int RTA_SRC = 2;
  /** RTA_IIF. */
  public static final int RTA_IIF = 3;
  /** RTA_OIF. */
  public static final int RTA_OIF = 4;
  /** RTA_GATEWAY. */
  public static final int RTA_GATEWAY = 5;
  /** RTA_PRIORITY: the metric. */
  public static final int RTA_PRIORITY = 6;
  /** RTA_PREFSRC. */
  public static final int RTA_PREFSRC = 7;
  /** RTA_TABLE (u32; rtm_table holds only tables below 256). */
  public static final int RTA_TABLE = 15;
  /** Highest RTA_* the decoder keeps. */
  static final int RTA_MAX_KNOWN = RTA_TABLE;

  /** RT_TABLE_UNSPEC: the table is in RTA_TABLE. */
  public static final int RT_TABLE_UNSPEC = 0;
  /** RTN_UNICAST. */
  public static final int RTN_UNICAST = 1;
  /** RTPROT_STATIC. */
  public static final int RTPROT_STATIC = 4;
  /** RTPROT_KEEPALIVED: the protocol keepalived marks its routes with ({@code proto keepalived}). */
  public static final int RTPROT_KEEPALIVED = 18;
  /** RT_SCOPE_NOWHERE: in a delete request, any scope. */
  public static final int RT_SCOPE_NOWHERE = 255;

  /** IFF_UP: administratively up. */
  public static final int IFF_UP = 0x1;
  /** IFF_BROADCAST. */
  public static final int IFF_BROADCAST = 0x2;
  /** IFF_LOOPBACK. */
  public static final int IFF_LOOPBACK = 0x8;
  /** IFF_RUNNING: operationally up. */
  public static final int IFF_RUNNING = 0x40;
  /** IFF_LOWER_UP: carrier. */
  public static final int IFF_LOWER_UP = 0x10000;

  /** IF_OPER_DOWN. */
  public static final int IF_OPER_DOWN = 2;
  /** IF_OPER_UP. */
  public static final int IF_OPER_UP = 6;

  /** RTNLGRP_LINK: link changes. */
  public static final int RTNLGRP_LINK = 1;
  /** RTNLGRP_IPV4_IFADDR: IPv4 address changes. */
  public static final int RTNLGRP_IPV4_IFADDR = 5;
  /** RTNLGRP_IPV4_ROUTE. */
  public static final int RTNLGRP_IPV4_ROUTE = 7;
  /** RTNLGRP_IPV6_IFADDR: IPv6 address changes. */
  public static final int RTNLGRP_IPV6_IFADDR = 9;
}

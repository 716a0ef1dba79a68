package io.lbkit.netlink.internal;

/**
 * Netlink constants from {@code include/uapi/linux/netlink.h} and {@code genetlink.h},
 * and the 4-byte alignment rule. Internal.
 */
public final class Nl {
  private Nl() {}

  /** NETLINK_ROUTE. */
  public static final int NETLINK_ROUTE = 0;
  /** NETLINK_GENERIC. */
  public static final int NETLINK_GENERIC = 16;

  /** Size of struct nlmsghdr. */
  public static final int NLMSG_HDRLEN = 16;
  /** Size of struct nlattr. */
  public static final int NLA_HDRLEN = 4;
  /** Size of struct genlmsghdr. */
  public static final int GENL_HDRLEN = 4;

  /** NLMSG_NOOP. */
  public static final int NLMSG_NOOP = 1;
  /** NLMSG_ERROR: an error or, with error 0, an ack. */
  public static final int NLMSG_ERROR = 2;
  /** NLMSG_DONE: end of a multipart dump. */
  public static final int NLMSG_DONE = 3;
  /** NLMSG_OVERRUN. */
  public static final int NLMSG_OVERRUN = 4;
  /** First type free for families. */
  public static final int NLMSG_MIN_TYPE = 0x10;

  /** NLM_F_REQUEST. */
  public static final int NLM_F_REQUEST = 0x01;
  /** NLM_F_MULTI: part of a multipart reply. */
  public static final int NLM_F_MULTI = 0x02;
  /** NLM_F_ACK: ask for an ack. */
  public static final int NLM_F_ACK = 0x04;
  /** NLM_F_ECHO. */
  public static final int NLM_F_ECHO = 0x08;
  /** NLM_F_DUMP_INTR: the dump was inconsistent (changed while running). */
  public static final int NLM_F_DUMP_INTR = 0x10;
  /** NLM_F_ROOT. */
  public static final int NLM_F_ROOT = 0x100;
  /** NLM_F_MATCH. */
  public static final int NLM_F_MATCH = 0x200;
  /** NLM_F_DUMP = ROOT | MATCH. */
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  /** NLM_F_REPLACE (NEW requests). */
  public static final int NLM_F_REPLACE = 0x100;
  /** NLM_F_EXCL (NEW requests). */
  public static final int NLM_F_EXCL = 0x200;
  /** NLM_F_CREATE (NEW requests). */
  public static final int NLM_F_CREATE = 0x400;
  /** NLM_F_APPEND (NEW requests). */
  public static final int NLM_F_APPEND = 0x800;
  /** NLM_F_CAPPED (in acks): the request was not echoed, only its header. */
  public static final int NLM_F_CAPPED = 0x100;
  /** NLM_F_ACK_TLVS (in acks): extended-ack attributes follow. */
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** NLMSGERR_ATTR_MSG: the error text. */
  public static final int NLMSGERR_ATTR_MSG = 1;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute. */
  public static final int NLMSGERR_ATTR_OFFS = 2;

  /** NLA_F_NESTED. */
  public static final int NLA_F_NESTED = 0x8000;
  /** NLA_F_NET_BYTEORDER. */
  public static final int NLA_F_NET_BYTEORDER = 0x4000;
  /** Mask of the attribute type bits. */
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** NETLINK_ADD_MEMBERSHIP. */
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  /** NETLINK_DROP_MEMBERSHIP. */
  public static final int NETLINK_DROP_MEMBERSHIP = 2;
  /** NETLINK_CAP_ACK. */
  public static final int NETLINK_CAP_ACK = 10;
  /** NETLINK_EXT_ACK. */
  public static final int NETLINK_EXT_ACK = 11;

  /** GENL_ID_CTRL: the generic netlink controller. */
  public static final int GENL_ID_CTRL = 0x10;
  /** CTRL_CMD_GETFAMILY. */
  public static final int CTRL_CMD_GETFAMILY = 3;
  /** CTRL_ATTR_FAMILY_ID (u16). */
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  /** CTRL_ATTR_FAMILY_NAME (string). */
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  /** CTRL_ATTR_VERSION (u32). */
  public static final int CTRL_ATTR_VERSION = 3;
  /** CTRL_ATTR_MAXATTR (u32). */
  public static final int CTRL_ATTR_MAXATTR = 5;
  /** CTRL_ATTR_MCAST_GROUPS (nested). */
  public static final int CTRL_ATTR_MCAST_GROUPS = 7;

  /** Rounds up to the netlink alignment of 4. */
  public static int align(int len) {
    return (len + 3) & ~3;
  }
}

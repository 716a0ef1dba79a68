package io.lbkit.nftables.internal;

/**
 * The nf_tables and nfnetlink constants lbkit uses, from {@code linux/netfilter/nfnetlink.h}
 * and {@code linux/netfilter/nf_tables.h}. Integer attributes of nf_tables are big-endian
 * (NLA_BE32) unless noted; set keys and data are raw register bytes. Internal.
 */
public final class Nft {
  private Nft() {}

  /** NFNL_SUBSYS_NFTABLES: the high byte of every nf_tables message type. */
  public static final int SUBSYS = 10;
  /** NFNL_MSG_BATCH_BEGIN. */
  public static final int MSG_BATCH_BEGIN = 0x10;
  /** NFNL_MSG_BATCH_END. */
  public static final int MSG_BATCH_END = 0x11;
  /** NFNL_BATCH_GENID (u32 be): the generation the batch expects (compare-and-swap). */
  public static final int BATCH_GENID = 1;

  /** NFT_MSG_NEWTABLE. */
  public static final int NEWTABLE = 0;
  /** NFT_MSG_GETTABLE. */
  public static final int GETTABLE = 1;
  /** NFT_MSG_DELTABLE. */
  public static final int DELTABLE = 2;
  /** NFT_MSG_NEWCHAIN. */
  public static final int NEWCHAIN = 3;
  /** NFT_MSG_GETCHAIN. */
  public static final int GETCHAIN = 4;
  /** NFT_MSG_DELCHAIN. */
  public static final int DELCHAIN = 5;
  /** NFT_MSG_NEWRULE. */
  public static final int NEWRULE = 6;
  /** NFT_MSG_GETRULE. */
  public static final int GETRULE = 7;
  /** NFT_MSG_DELRULE. */
  public static final int DELRULE = 8;
  /** NFT_MSG_NEWSET. */
  public static final int NEWSET = 9;
  /** NFT_MSG_GETSET. */
  public static final int GETSET = 10;
  /** NFT_MSG_DELSET. */
  public static final int DELSET = 11;
  /** NFT_MSG_NEWSETELEM. */
  public static final int NEWSETELEM = 12;
  /** NFT_MSG_GETSETELEM. */
  public static final int GETSETELEM = 13;
  /** NFT_MSG_DELSETELEM. */
  public static final int DELSETELEM = 14;
  /** NFT_MSG_NEWGEN. */
  public static final int NEWGEN = 15;
  /** NFT_MSG_GETGEN. */
  public static final int GETGEN = 16;

  /** NFPROTO_UNSPEC. */
  public static final int NFPROTO_UNSPEC = 0;
  /** NFPROTO_INET: tables that see IPv4 and IPv6. */
  public static final int NFPROTO_INET = 1;
  /** NFPROTO_IPV4. */
  public static final int NFPROTO_IPV4 = 2;
  /** NFPROTO_IPV6. */
  public static final int NFPROTO_IPV6 = 10;

  /** NFTA_TABLE_NAME. */
  public static final int TABLE_NAME = 1;
  /** NFTA_TABLE_FLAGS. */
  public static final int TABLE_FLAGS = 2;

  /** NFTA_CHAIN_TABLE. */
  public static final int CHAIN_TABLE = 1;
  /** NFTA_CHAIN_NAME. */
  public static final int CHAIN_NAME = 3;
  /** NFTA_CHAIN_HOOK (nested). */
  public static final int CHAIN_HOOK = 4;
  /** NFTA_CHAIN_POLICY. */
  public static final int CHAIN_POLICY = 5;
  /** NFTA_CHAIN_TYPE (string: filter, nat, route). */
  public static final int CHAIN_TYPE = 7;
  /** NFTA_HOOK_HOOKNUM. */
  public static final int HOOK_HOOKNUM = 1;
  /** NFTA_HOOK_PRIORITY. */
  public static final int HOOK_PRIORITY = 2;
  /** NF_INET_PRE_ROUTING. */
  public static final int HOOK_PREROUTING = 0;
  /** NF_INET_LOCAL_OUT. */
  public static final int HOOK_OUTPUT = 3;
  /** NF_IP_PRI_NAT_DST: the dstnat priority. */
  public static final int PRIO_DSTNAT = -100;

  /** NFTA_RULE_TABLE. */
  public static final int RULE_TABLE = 1;
  /** NFTA_RULE_CHAIN. */
  public static final int RULE_CHAIN = 2;
  /** NFTA_RULE_HANDLE (u64 be). */
  public static final int RULE_HANDLE = 3;
  /** NFTA_RULE_EXPRESSIONS (nested list). */
  public static final int RULE_EXPRESSIONS = 4;
  /** NFTA_RULE_USERDATA (nft's TLVs: type 0 is the comment). */
  public static final int RULE_USERDATA = 7;
  /** NFTA_LIST_ELEM: one item of a nested list. */
  public static final int LIST_ELEM = 1;
  /** NFTA_EXPR_NAME. */
  public static final int EXPR_NAME = 1;
  /** NFTA_EXPR_DATA (nested). */
  public static final int EXPR_DATA = 2;

  /** NFTA_SET_TABLE. */
  public static final int SET_TABLE = 1;
  /** NFTA_SET_NAME. */
  public static final int SET_NAME = 2;
  /** NFTA_SET_FLAGS. */
  public static final int SET_FLAGS = 3;
  /** NFTA_SET_KEY_TYPE. */
  public static final int SET_KEY_TYPE = 4;
  /** NFTA_SET_KEY_LEN. */
  public static final int SET_KEY_LEN = 5;
  /** NFTA_SET_DATA_TYPE. */
  public static final int SET_DATA_TYPE = 6;
  /** NFTA_SET_DATA_LEN. */
  public static final int SET_DATA_LEN = 7;
  /** NFTA_SET_ID: names a set within one transaction. */
  public static final int SET_ID = 10;
  /** NFTA_SET_USERDATA. */
  public static final int SET_USERDATA = 13;
  /** NFT_SET_MAP. */
  public static final int SET_F_MAP = 0x8;
  /** NFT_DATA_VERDICT: the data type of a verdict map. */
  public static final int DATA_VERDICT_TYPE = 0xffffff00;

  /** NFTA_SET_ELEM_LIST_TABLE. */
  public static final int ELEM_LIST_TABLE = 1;
  /** NFTA_SET_ELEM_LIST_SET. */
  public static final int ELEM_LIST_SET = 2;
  /** NFTA_SET_ELEM_LIST_ELEMENTS. */
  public static final int ELEM_LIST_ELEMENTS = 3;
  /** NFTA_SET_ELEM_LIST_SET_ID. */
  public static final int ELEM_LIST_SET_ID = 4;
  /** NFTA_SET_ELEM_KEY (nested data). */
  public static final int ELEM_KEY = 1;
  /** NFTA_SET_ELEM_DATA (nested data). */
  public static final int ELEM_DATA = 2;

  /** NFTA_DATA_VALUE. */
  public static final int DATA_VALUE = 1;
  /** NFTA_DATA_VERDICT (nested). */
  public static final int DATA_VERDICT = 2;
  /** NFTA_VERDICT_CODE. */
  public static final int VERDICT_CODE = 1;
  /** NFTA_VERDICT_CHAIN. */
  public static final int VERDICT_CHAIN = 2;
  /** NFT_GOTO. */
  public static final int GOTO = -4;

  /** NFTA_GEN_ID. */
  public static final int GEN_ID = 1;

  /** NFT_REG_VERDICT. */
  public static final int REG_VERDICT = 0;
  /** NFT_REG_1 (16 bytes). */
  public static final int REG_1 = 1;
  /** NFT_REG_2 (16 bytes). */
  public static final int REG_2 = 2;
  /** NFT_REG32_01: the 4 bytes after NFT_REG32_00, the first quarter of NFT_REG_1. */
  public static final int REG32_01 = 9;
  /** NFT_REG32_02. */
  public static final int REG32_02 = 10;

  /** NFT_META_NFPROTO. */
  public static final int META_NFPROTO = 15;
  /** NFT_META_L4PROTO. */
  public static final int META_L4PROTO = 16;
  /** NFT_PAYLOAD_NETWORK_HEADER. */
  public static final int PAYLOAD_NETWORK = 1;
  /** NFT_PAYLOAD_TRANSPORT_HEADER. */
  public static final int PAYLOAD_TRANSPORT = 2;
  /** NFT_NG_INCREMENTAL. */
  public static final int NG_INC = 0;
  /** NFT_NG_RANDOM. */
  public static final int NG_RANDOM = 1;
  /** NFT_NAT_DNAT. */
  public static final int NAT_DNAT = 1;
  /** NFT_REJECT_ICMPX_UNREACH. */
  public static final int REJECT_ICMPX = 2;
  /** NFT_REJECT_ICMPX_PORT_UNREACH. */
  public static final int ICMPX_PORT_UNREACH = 1;

  /** nft's datatype ids, 6 bits each in a concatenated key type. */
  public static final int TYPE_INTEGER = 4;
  /** TYPE_IPADDR. */
  public static final int TYPE_IPADDR = 7;
  /** TYPE_IP6ADDR. */
  public static final int TYPE_IP6ADDR = 8;
  /** TYPE_INET_PROTOCOL. */
  public static final int TYPE_INET_PROTO = 12;
  /** TYPE_INET_SERVICE. */
  public static final int TYPE_INET_SERVICE = 13;
  /** TYPE_MARK. */
  public static final int TYPE_MARK = 19;

  /** The message type of nf_tables message {@code msg}. */
  public static int type(int msg) {
    return SUBSYS << 8 | msg;
  }

  /** A concatenated type: each part shifted by nft's TYPE_BITS (6). */
  public static int concat(int... types) {
    int t = 0;
    for (int x : types) {
      t = t << 6 | x;
    }
    return t;
  }
}

package io.lbkit.nftables.internal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * nft's userdata: type-length-value items (u8 type, u8 length) that the kernel stores
 * without reading them and nft uses to print a ruleset: a rule's comment, and how a set's
 * key and data types are to be shown ({@code typeof}). The set descriptions are the bytes
 * nft 1.0.6 writes for lbkit's declarations, kept verbatim. Pure code. Internal.
 */
public final class Udata {
  private Udata() {}

  /** NFTNL_UDATA_RULE_COMMENT. */
  static final int RULE_COMMENT = 0;

  /** {@code type ... : verdict} (services4, services6). */
  static final byte[] VERDICT_MAP = hex("000400000000010400000000030800040d0000000100060400000000");
  /** {@code type ... : mark} (dests4, dests6). */
  static final byte[] MARK_MAP = hex("000400000000010401000000030800040d0000000100060400000000");
  private static final String SLOTS4 = "000401000000010400000000031a0004170000000112000400000000010402000000020400000000043400040d000000012c0014000407000000010c00040c00000001040c0000000114000407000000010c000408000000010402000000060400000000";
  private static final String SLOTS6 = "000401000000010400000000031a0004170000000112000400000000010402000000020400000000043400040d000000012c0014000407000000010c00040d0000000104090000000114000407000000010c000408000000010402000000060400000000";
  /** Where nft's protocol description id of {@code tcp|udp|sctp dport} sits in the slots description. */
  private static final int SLOTS_PROTO_AT = 84;

  /** A rule comment. */
  public static byte[] comment(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    if (t.length > 127) {
      throw new IllegalArgumentException("rule comment longer than 127 bytes: " + text);
    }
    byte[] b = new byte[t.length + 3];
    b[0] = RULE_COMMENT;
    b[1] = (byte) (t.length + 1);
    System.arraycopy(t, 0, b, 2, t.length);
    return b;
  }

  /** The comment in a rule's userdata, or null when it has none or the TLVs are malformed. */
  public static String comment(byte[] udata) {
    for (int p = 0; p + 2 <= udata.length; ) {
      int type = udata[p] & 0xff;
      int len = udata[p + 1] & 0xff;
      if (p + 2 + len > udata.length) {
        return null;
      }
      if (type == RULE_COMMENT) {
        int n = 0;
        while (n < len && udata[p + 2 + n] != 0) {
          n++;
        }
        return new String(udata, p + 2, n, StandardCharsets.UTF_8);
      }
      p += 2 + len;
    }
    return null;
  }

  /**
   * {@code typeof numgen inc mod 2 : ip daddr . tcp dport} (or ip6, udp, sctp): how nft
   * shows a slots map; {@code protoDesc} is nft's id of the transport protocol.
   */
  static byte[] slots(boolean ipv6, int ipProto) {
    byte[] b = hex(ipv6 ? SLOTS6 : SLOTS4);
    b[SLOTS_PROTO_AT] = (byte) switch (ipProto) {
      case 6 -> 8; // PROTO_DESC_TCP
      case 17 -> 6; // PROTO_DESC_UDP
      case 132 -> 10; // PROTO_DESC_SCTP
      default -> throw new IllegalArgumentException("no transport protocol " + ipProto);
    };
    return b;
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}

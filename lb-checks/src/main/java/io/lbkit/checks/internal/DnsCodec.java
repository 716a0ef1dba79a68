package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** DNS_CHECK's wire format (RFC 1035): a one-question query and the verdict on its reply. Pure. */
final class DnsCodec {
  private DnsCodec() {}

  /** The query types keepalived's DNS_CHECK accepts, by name. */
  static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "PTR", 12, "MX", 15,
      "TXT", 16, "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);

  private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

  /** The numeric type for a name like "SOA"; throws naming the bad value. */
  static int type(String name) {
    Integer t = TYPES.get(name == null ? "SOA" : name.toUpperCase(Locale.ROOT));
    if (t == null) {
      throw new IllegalArgumentException("DNS_CHECK type must be one of " + TYPES.keySet() + ": \"" + name + "\"");
    }
    return t;
  }

  /** A recursive-desired query for {@code name} (e.g. "example.com." or ".") of {@code type}. */
  static byte[] query(int id, String name, int type) {
    ByteBuffer b = ByteBuffer.allocate(18 + name.length() + 2);
    b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putInt(0);
    for (String label : name.split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      if (l.length > 63) {
        throw new IllegalArgumentException("DNS label longer than 63 bytes in \"" + name + "\"");
      }
      b.put((byte) l.length).put(l);
    }
    b.put((byte) 0).putShort((short) type).putShort((short) 1);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** The verdict on a reply to query {@code id}; null if it is not that reply (ignore it). */
  static CheckResult verdict(ByteBuffer reply, int id) {
    if (reply.remaining() < 12) {
      return CheckResult.down("DNS reply shorter than a header (" + reply.remaining() + " bytes)");
    }
    int rid = reply.getShort(reply.position()) & 0xffff;
    int flags = reply.getShort(reply.position() + 2) & 0xffff;
    if (rid != id || (flags & 0x8000) == 0) {
      return null;
    }
    int rcode = flags & 0xf;
    if (rcode != 0) {
      return CheckResult.down("DNS " + (rcode < RCODES.length ? RCODES[rcode] : "rcode " + rcode));
    }
    int answers = reply.getShort(reply.position() + 6) & 0xffff;
    if (answers == 0) {
      return CheckResult.down("DNS reply has no answer");
    }
    return CheckResult.up("DNS NOERROR with " + answers + " answer(s)");
  }
}

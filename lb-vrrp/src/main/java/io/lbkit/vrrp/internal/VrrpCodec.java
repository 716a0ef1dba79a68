package io.lbkit.vrrp.internal;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * VRRP advertisement encoding and decoding (RFC 3768 section 5, RFC 5798/9568
 * section 5), pure functions on bytes. The bytes are the IP payload: the transport
 * strips the IPv4 header and passes the TTL / hop limit and both addresses.
 *
 * <pre>
 *  v2:  |ver 2|type 1| VRID | prio | count | auth type | adver int (s) | checksum |
 *       | IPv4 addresses ... | auth data (8 bytes) |
 *  v3:  |ver 3|type 1| VRID | prio | count | rsvd(4) max adver int (12 bits, cs) | checksum |
 *       | IPv4 or IPv6 addresses ... |
 * </pre>
 *
 * <p>The v2 checksum covers the message only. The v3 checksum covers a pseudo-header
 * too (RFC 5798 5.2.8); for IPv4 old keepalived versions (and keepalived's
 * {@code old_unicast_checksum}) omit it, so {@link #decode} accepts both forms and
 * reports which one it saw.
 */
public final class VrrpCodec {
  /** IANA protocol number of VRRP. */
  public static final int PROTOCOL = 112;
  /** Required TTL / hop limit (RFC 5798 5.1.1.3). */
  public static final int TTL = 255;
  private static final int HEADER = 8;
  private static final int AUTH_LEN = 8;

  private VrrpCodec() {}

  /**
   * The result of {@link #decode}: a packet and its checksum form, or the reason it was dropped.
   *
   * @param packet the packet, or null if dropped
   * @param checksumForm the checksum form the packet carried, or null if dropped
   * @param dropReason why it was dropped, or null
   * @param detail a sentence for the log, or null
   */
  public record Decoded(VrrpPacket packet, ChecksumForm checksumForm, DropReason dropReason, String detail) {
    static Decoded drop(DropReason r, String detail) {
      return new Decoded(null, null, r, detail);
    }

    /** True if the packet was accepted. */
    public boolean ok() {
      return packet != null;
    }
  }

  /**
   * Encodes an advert.
   *
   * @param p the packet
   * @param src source address (for the v3 pseudo-header)
   * @param dst destination: the multicast group or the unicast peer
   * @param form checksum form; ignored for v2 (always plain) and v3 IPv6 (always pseudo-header)
   */
  public static byte[] encode(VrrpPacket p, InetAddress src, InetAddress dst, ChecksumForm form) {
    Family family = Family.of(dst);
    if (p.version() == 2 && family == Family.INET6) {
      throw new IllegalArgumentException("VRRPv2 is IPv4 only (RFC 3768); use version 3 for IPv6");
    }
    for (InetAddress a : p.addresses()) {
      if (Family.of(a) != family) {
        throw new IllegalArgumentException("virtual address " + Inet.format(a) + " is not of the advert's family "
            + family);
      }
    }
    int alen = family == Family.INET ? 4 : 16;
    int len = HEADER + alen * p.addresses().size() + (p.version() == 2 ? AUTH_LEN : 0);
    ByteBuffer b = ByteBuffer.allocate(len);
    b.put((byte) (p.version() << 4 | 1)).put((byte) p.vrid()).put((byte) p.priority())
        .put((byte) p.addresses().size());
    if (p.version() == 2) {
      b.put((byte) p.authType()).put((byte) (p.advertCentis() / 100));
    } else {
      b.putShort((short) (p.advertCentis() & 0x0fff));
    }
    b.putShort((short) 0);
    for (InetAddress a : p.addresses()) {
      b.put(a.getAddress());
    }
    if (p.version() == 2) {
      b.put(p.authData());
    }
    byte[] out = b.array();
    boolean pseudo = p.version() == 3 && (family == Family.INET6 || form == ChecksumForm.PSEUDO_HEADER);
    int sum = pseudo ? checksum(out, 0, len, src, dst) : checksum(out, 0, len, null, null);
    out[6] = (byte) (sum >> 8);
    out[7] = (byte) sum;
    return out;
  }

  /**
   * Decodes and validates the packet-level fields: TTL, version, type, length,
   * checksum and v2 authentication type. Instance-level checks (VRID, interval,
   * password, address list) are the receiver's.
   *
   * @param buf the VRRP message (position to limit)
   * @param src the IP source address
   * @param dst the IP destination address
   * @param ttl the received TTL / hop limit, or -1 if unknown
   */
  public static Decoded decode(ByteBuffer buf, InetAddress src, InetAddress dst, int ttl) {
    Family family = Family.of(src);
    int len = buf.remaining();
    if (ttl >= 0 && ttl != TTL) {
      return Decoded.drop(DropReason.TTL, "TTL/hop limit " + ttl + " from " + Inet.format(src) + ", must be 255");
    }
    if (len < HEADER) {
      return Decoded.drop(DropReason.LENGTH, "packet of " + len + " bytes from " + Inet.format(src)
          + " shorter than the 8-byte header");
    }
    byte[] b = new byte[len];
    buf.duplicate().get(b);
    int version = (b[0] & 0xff) >> 4;
    int type = b[0] & 0x0f;
    if (version != 2 && version != 3) {
      return Decoded.drop(DropReason.VERSION, "version " + version + " from " + Inet.format(src));
    }
    if (type != 1) {
      return Decoded.drop(DropReason.TYPE, "type " + type + " from " + Inet.format(src) + ", only 1 (ADVERTISEMENT)");
    }
    if (version == 2 && family == Family.INET6) {
      return Decoded.drop(DropReason.VERSION, "VRRPv2 over IPv6 from " + Inet.format(src));
    }
    int vrid = b[1] & 0xff;
    int prio = b[2] & 0xff;
    int count = b[3] & 0xff;
    int alen = family == Family.INET ? 4 : 16;
    int expected = HEADER + count * alen + (version == 2 ? AUTH_LEN : 0);
    if (len != expected) {
      return Decoded.drop(DropReason.LENGTH, "VRRPv" + version + " packet of " + len + " bytes from "
          + Inet.format(src) + " with " + count + " addresses, expected " + expected);
    }
    ChecksumForm form;
    if (version == 2) {
      if (checksum(b, 0, len, null, null) != 0) {
        return Decoded.drop(DropReason.CHECKSUM, "bad VRRPv2 checksum from " + Inet.format(src));
      }
      form = ChecksumForm.PLAIN;
    } else if (checksum(b, 0, len, src, dst) == 0) {
      form = ChecksumForm.PSEUDO_HEADER;
    } else if (family == Family.INET && checksum(b, 0, len, null, null) == 0) {
      form = ChecksumForm.PLAIN;
    } else {
      return Decoded.drop(DropReason.CHECKSUM, "bad VRRPv3 checksum from " + Inet.format(src));
    }
    if (vrid == 0) {
      return Decoded.drop(DropReason.VRID, "VRID 0 from " + Inet.format(src));
    }
    int authType = 0;
    int centis;
    if (version == 2) {
      authType = b[4] & 0xff;
      if (authType == VrrpPacket.AUTH_AH) {
        return Decoded.drop(DropReason.AUTH_AH_UNSUPPORTED, "VRRPv2 IPsec AH authentication from "
            + Inet.format(src) + " is not supported (RFC 3768 removed it); use auth_type PASS or none");
      }
      if (authType > VrrpPacket.AUTH_AH) {
        return Decoded.drop(DropReason.AUTH, "unknown authentication type " + authType + " from " + Inet.format(src));
      }
      centis = (b[5] & 0xff) * 100;
      if (centis == 0) {
        return Decoded.drop(DropReason.INTERVAL, "advert interval 0 from " + Inet.format(src));
      }
    } else {
      centis = ((b[4] & 0x0f) << 8) | (b[5] & 0xff);
      if (centis == 0) {
        return Decoded.drop(DropReason.INTERVAL, "max advert interval 0 from " + Inet.format(src));
      }
    }
    List<InetAddress> addrs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] a = new byte[alen];
      System.arraycopy(b, HEADER + i * alen, a, 0, alen);
      addrs.add(Inet.of(a));
    }
    byte[] auth = new byte[version == 2 ? AUTH_LEN : 0];
    if (version == 2) {
      System.arraycopy(b, len - AUTH_LEN, auth, 0, AUTH_LEN);
    }
    return new Decoded(new VrrpPacket(version, vrid, prio, centis, addrs, authType, auth), form, null, null);
  }

  /**
   * The Internet checksum (RFC 1071) of {@code data}, optionally over the IPv4/IPv6
   * pseudo-header for protocol 112 first. Computing it over data that contains a
   * correct checksum gives 0.
   */
  public static int checksum(byte[] data, int off, int len, InetAddress src, InetAddress dst) {
    long sum = 0;
    if (src != null) {
      byte[] s = src.getAddress();
      byte[] d = dst.getAddress();
      sum += words(s, 0, s.length) + words(d, 0, d.length);
      if (s.length == 4) {
        sum += PROTOCOL + len;
      } else {
        sum += (len >>> 16) + (len & 0xffff) + PROTOCOL;
      }
    }
    sum += words(data, off, len);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static long words(byte[] b, int off, int len) {
    long sum = 0;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < off + len) {
      sum += (b[i] & 0xff) << 8;
    }
    return sum;
  }
}

package io.lbkit.netlink.internal;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The attributes of one netlink message part, parsed from a native-order buffer: a
 * table from attribute type to the payload's offset and length. Unknown types (above
 * {@code maxType}) are skipped; a repeated type keeps its last value; a length that
 * runs past the region or is below the header size is a {@link ProtocolException}
 * naming the offset. Accessors check the payload size. Pure code. Internal.
 */
public final class NlAttrs {
  private final ByteBuffer buf;
  private final int[] off;
  private final int[] len;

  private NlAttrs(ByteBuffer buf, int maxType) {
    this.buf = buf;
    this.off = new int[maxType + 1];
    this.len = new int[maxType + 1];
    java.util.Arrays.fill(off, -1);
  }

  /**
   * Parses the attributes between {@code from} and {@code to} of {@code buf}.
   *
   * @param maxType the highest type the caller knows; others are skipped
   */
  public static NlAttrs parse(ByteBuffer buf, int from, int to, int maxType) throws ProtocolException {
    if (buf.order() != ByteOrder.nativeOrder()) {
      buf = buf.duplicate().order(ByteOrder.nativeOrder());
    }
    NlAttrs a = new NlAttrs(buf, maxType);
    int p = from;
    while (to - p >= Nl.NLA_HDRLEN) {
      int l = length(buf, p, to);
      int type = type(buf, p);
      if (type <= maxType) {
        a.off[type] = p + Nl.NLA_HDRLEN;
        a.len[type] = l - Nl.NLA_HDRLEN;
      }
      p += Nl.align(l);
    }
    return a;
  }

  /**
   * The total length (header included) of the attribute at {@code p}, checked against the
   * region's end {@code to} the way {@link #parse} checks it. With {@link #type} it walks
   * attributes without allocating: {@code for (p = from; to - p >= NLA_HDRLEN; p += align(l))}.
   */
  public static int length(ByteBuffer buf, int p, int to) throws ProtocolException {
    int l = buf.getShort(p) & 0xffff;
    if (l < Nl.NLA_HDRLEN || p + l > to) {
      throw new ProtocolException("malformed netlink attribute at offset " + p + ": length " + l
          + " (room " + (to - p) + ")");
    }
    return l;
  }

  /** The type (without the NESTED and BYTEORDER flags) of the attribute at {@code p}. */
  public static int type(ByteBuffer buf, int p) {
    return buf.getShort(p + 2) & Nl.NLA_TYPE_MASK;
  }

  /**
   * The offset of the attribute of {@code type} between {@code from} and {@code to} (the
   * last one when repeated), or -1; every length on the way is checked.
   */
  public static int find(ByteBuffer buf, int from, int to, int type) throws ProtocolException {
    int found = -1;
    for (int p = from, l; to - p >= Nl.NLA_HDRLEN; p += Nl.align(l)) {
      l = length(buf, p, to);
      if (type(buf, p) == type) {
        found = p;
      }
    }
    return found;
  }

  /** Checks that the attribute of {@code type} has at least {@code size} payload bytes. */
  public static void need(int type, int payload, int size) throws ProtocolException {
    if (payload < size) {
      throw new ProtocolException("netlink attribute " + type + " too short: " + payload + " bytes, need " + size);
    }
  }

  /** True when the attribute is present. */
  public boolean has(int type) {
    return type < off.length && off[type] >= 0;
  }

  /** The payload length, or -1 when absent. */
  public int length(int type) {
    return has(type) ? len[type] : -1;
  }

  /** A u8 attribute. */
  public int u8(int type) throws ProtocolException {
    return buf.get(at(type, 1)) & 0xff;
  }

  /** A host-order u16 attribute. */
  public int u16(int type) throws ProtocolException {
    return buf.getShort(at(type, 2)) & 0xffff;
  }

  /** A network-order u16 attribute. */
  public int be16(int type) throws ProtocolException {
    int p = at(type, 2);
    return ((buf.get(p) & 0xff) << 8) | (buf.get(p + 1) & 0xff);
  }

  /** A host-order u32 attribute. */
  public int u32(int type) throws ProtocolException {
    return buf.getInt(at(type, 4));
  }

  /** A host-order u64 attribute. */
  public long u64(int type) throws ProtocolException {
    return buf.getLong(at(type, 8));
  }

  /** The u32 attribute, or {@code dflt} when absent. */
  public int u32(int type, int dflt) throws ProtocolException {
    return has(type) ? u32(type) : dflt;
  }

  /** The payload bytes (at least {@code min} of them). */
  public byte[] bytes(int type, int min) throws ProtocolException {
    int p = at(type, min);
    byte[] b = new byte[len[type]];
    buf.get(p, b);
    return b;
  }

  /** A string attribute up to its first NUL, or null when absent. */
  public String string(int type) {
    if (!has(type)) {
      return null;
    }
    int p = off[type];
    int n = 0;
    while (n < len[type] && buf.get(p + n) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    buf.get(p, b);
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** The attributes nested in {@code type}, or null when absent. */
  public NlAttrs nested(int type, int maxType) throws ProtocolException {
    if (!has(type)) {
      return null;
    }
    return parse(buf, off[type], off[type] + len[type], maxType);
  }

  /** The payload's offset in the buffer (for callers that walk repeated nested items). */
  public int offset(int type) {
    return has(type) ? off[type] : -1;
  }

  /** The buffer the attributes live in. */
  public ByteBuffer buffer() {
    return buf;
  }

  private int at(int type, int size) throws ProtocolException {
    if (!has(type)) {
      throw new ProtocolException("netlink attribute " + type + " missing");
    }
    need(type, len[type], size);
    return off[type];
  }
}

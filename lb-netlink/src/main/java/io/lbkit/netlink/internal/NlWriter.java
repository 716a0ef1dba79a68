package io.lbkit.netlink.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds netlink messages into one growing native-order buffer: headers, generic
 * netlink headers, attributes (nested with NLA_F_NESTED) and 4-byte padding. Several
 * messages may follow each other in one writer, which is how a batch is built. Pure
 * code, no I/O. Internal.
 *
 * <pre>{@code
 * NlWriter w = new NlWriter(256);
 * int m = w.beginMessage(familyId, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK);
 * w.genl(cmd, 1);
 * int n = w.beginNested(1);
 * w.putU16(1, 2);
 * w.endNested(n);
 * w.endMessage(m);
 * ByteBuffer bytes = w.flip();
 * }</pre>
 */
public final class NlWriter {
  private ByteBuffer buf;

  /** A writer with an initial capacity in bytes (direct memory, ready for sendmsg). */
  public NlWriter(int capacity) {
    buf = ByteBuffer.allocateDirect(Math.max(64, capacity)).order(ByteOrder.nativeOrder());
  }

  /** Bytes written so far. */
  public int position() {
    return buf.position();
  }

  /** Forgets everything written, keeping the memory. */
  public NlWriter clear() {
    buf.clear();
    return this;
  }

  /**
   * Starts a message: a nlmsghdr with length to be filled by {@link #endMessage}, and
   * sequence number and port id 0 (the socket sets them when it sends).
   *
   * @return the message's start, to pass to {@link #endMessage}
   */
  public int beginMessage(int type, int flags) {
    ensure(Nl.NLMSG_HDRLEN);
    int start = buf.position();
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    return start;
  }

  /** Ends a message: writes its length and pads to 4 bytes. */
  public void endMessage(int start) {
    buf.putInt(start, buf.position() - start);
    pad();
  }

  /** Writes a generic netlink header (cmd, version, reserved). */
  public NlWriter genl(int cmd, int version) {
    ensure(Nl.GENL_HDRLEN);
    buf.put((byte) cmd).put((byte) version).putShort((short) 0);
    return this;
  }

  /** Writes raw bytes (a fixed family header such as ifaddrmsg) and pads. */
  public NlWriter putRaw(byte[] bytes) {
    ensure(bytes.length + 3);
    buf.put(bytes);
    pad();
    return this;
  }

  /** A u8 attribute. */
  public NlWriter putU8(int type, int value) {
    header(type, 1);
    buf.put((byte) value);
    pad();
    return this;
  }

  /** A u16 attribute in host order. */
  public NlWriter putU16(int type, int value) {
    header(type, 2);
    buf.putShort((short) value);
    pad();
    return this;
  }

  /** A u16 attribute in network (big-endian) order, such as IPVS ports. */
  public NlWriter putBe16(int type, int value) {
    header(type, 2);
    buf.put((byte) (value >>> 8)).put((byte) value);
    pad();
    return this;
  }

  /** A u32 attribute in host order. */
  public NlWriter putU32(int type, int value) {
    header(type, 4);
    buf.putInt(value);
    return this;
  }

  /** A u32 attribute in network order. */
  public NlWriter putBe32(int type, int value) {
    header(type, 4);
    buf.put((byte) (value >>> 24)).put((byte) (value >>> 16)).put((byte) (value >>> 8)).put((byte) value);
    return this;
  }

  /** A u64 attribute in host order. */
  public NlWriter putU64(int type, long value) {
    header(type, 8);
    buf.putLong(value);
    return this;
  }

  /** A binary attribute. */
  public NlWriter putBytes(int type, byte[] value) {
    return putBytes(type, value, 0, value.length);
  }

  /** A binary attribute from part of an array. */
  public NlWriter putBytes(int type, byte[] value, int off, int len) {
    header(type, len);
    buf.put(value, off, len);
    pad();
    return this;
  }

  /** A NUL-terminated string attribute (ASCII). */
  public NlWriter putString(int type, String value) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    header(type, b.length + 1);
    buf.put(b).put((byte) 0);
    pad();
    return this;
  }

  /** An attribute with no payload (a flag). */
  public NlWriter putFlag(int type) {
    header(type, 0);
    return this;
  }

  /**
   * Starts a nested attribute (type with NLA_F_NESTED).
   *
   * @return its start, for {@link #endNested}
   */
  public int beginNested(int type) {
    ensure(Nl.NLA_HDRLEN);
    int start = buf.position();
    buf.putShort((short) 0).putShort((short) (type | Nl.NLA_F_NESTED));
    return start;
  }

  /** Ends a nested attribute: writes its length. */
  public void endNested(int start) {
    buf.putShort(start, (short) (buf.position() - start));
  }

  /** The bytes written, as a buffer from 0 to the end (the writer must be cleared before reuse). */
  public ByteBuffer flip() {
    return buf.duplicate().order(ByteOrder.nativeOrder()).flip();
  }

  private void header(int type, int len) {
    if (len > 0xffff - Nl.NLA_HDRLEN) {
      throw new IllegalArgumentException("attribute " + type + " too long: " + len + " bytes");
    }
    ensure(Nl.NLA_HDRLEN + len + 3);
    buf.putShort((short) (Nl.NLA_HDRLEN + len)).putShort((short) type);
  }

  private void pad() {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }

  private void ensure(int n) {
    if (buf.remaining() >= n) {
      return;
    }
    int cap = Math.max(buf.capacity() * 2, buf.position() + n);
    ByteBuffer bigger = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
    buf.flip();
    bigger.put(buf);
    buf = bigger;
  }
}

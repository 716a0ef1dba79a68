package io.lbkit.netlink.internal;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a buffer into netlink messages, checking every length, and reads NLMSG_ERROR
 * extended acks. Pure code. Internal.
 */
public final class Framing {
  private Framing() {}

  /**
   * The messages between the buffer's position and limit, as {offset, length} pairs.
   *
   * @throws ProtocolException when a length is below the header size or runs past the end
   */
  public static List<int[]> split(ByteBuffer b) throws ProtocolException {
    List<int[]> out = new ArrayList<>();
    for (int p = b.position(); p < b.limit(); p += Nl.align(b.getInt(p))) {
      out.add(new int[] {p, length(b, p)});
    }
    return out;
  }

  /**
   * Checks the framing of the messages between position and limit as {@link #split} does,
   * without allocating (every received datagram goes through it).
   *
   * @return the number of messages
   * @throws ProtocolException when a length is below the header size or runs past the end
   */
  public static int check(ByteBuffer b) throws ProtocolException {
    int n = 0;
    for (int p = b.position(); p < b.limit(); p += Nl.align(length(b, p))) {
      n++;
    }
    return n;
  }

  private static int length(ByteBuffer b, int p) throws ProtocolException {
    if (b.limit() - p < Nl.NLMSG_HDRLEN) {
      throw new ProtocolException("netlink message at offset " + p + " truncated: " + (b.limit() - p)
          + " bytes, header needs " + Nl.NLMSG_HDRLEN);
    }
    int len = b.getInt(p);
    if (len < Nl.NLMSG_HDRLEN || len > b.limit() - p) {
      throw new ProtocolException("malformed netlink message at offset " + p + ": length " + len + " (room "
          + (b.limit() - p) + ")");
    }
    return len;
  }

  /** The extended-ack text of an NLMSG_ERROR message at {@code p}, or null. */
  public static String extAck(ByteBuffer b, int p, int len) {
    int flags = b.getShort(p + 6) & 0xffff;
    if ((flags & Nl.NLM_F_ACK_TLVS) == 0 || len < Nl.NLMSG_HDRLEN + 4 + Nl.NLMSG_HDRLEN) {
      return null;
    }
    int inner = p + Nl.NLMSG_HDRLEN + 4;
    int tlv = (flags & Nl.NLM_F_CAPPED) != 0 ? inner + Nl.NLMSG_HDRLEN : inner + Nl.align(b.getInt(inner));
    if (tlv < inner || tlv > p + len) {
      return null;
    }
    try {
      return NlAttrs.parse(b, tlv, p + len, Nl.NLMSGERR_ATTR_OFFS).string(Nl.NLMSGERR_ATTR_MSG);
    } catch (ProtocolException e) {
      return "(malformed extended ack: " + e.getMessage() + ")";
    }
  }
}

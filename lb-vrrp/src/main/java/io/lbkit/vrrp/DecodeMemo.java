package io.lbkit.vrrp;

import io.lbkit.vrrp.internal.VrrpCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One channel's last decoded advert per VRID: a master sends the same bytes every
 * interval, so a backup compares them with the last ones and reuses that decoding
 * (the codec is a pure function of the bytes, source, destination and TTL) instead of
 * building a new packet, address list and addresses for every advert. Only accepted
 * adverts are kept; a changed or dropped one is decoded as before.
 */
final class DecodeMemo {
  private final ByteBuffer[] bytes = new ByteBuffer[256];
  private final InetAddress[] sources = new InetAddress[256];
  private final InetAddress[] destinations = new InetAddress[256];
  private final int[] ttls = new int[256];
  private final VrrpCodec.Decoded[] decoded = new VrrpCodec.Decoded[256];

  /** {@link VrrpCodec#decode}, reusing the last result for the same VRID when nothing differs. */
  synchronized VrrpCodec.Decoded decode(ByteBuffer buf, InetAddress src, InetAddress dst, int ttl) {
    int vrid = buf.remaining() >= 2 ? buf.get(buf.position() + 1) & 0xff : 0;
    ByteBuffer last = bytes[vrid];
    if (last != null && ttls[vrid] == ttl && last.equals(buf) && sources[vrid].equals(src)
        && Objects.equals(destinations[vrid], dst)) {
      return decoded[vrid];
    }
    VrrpCodec.Decoded d = VrrpCodec.decode(buf, src, dst, ttl);
    if (d.ok() && d.packet().vrid() == vrid) {
      ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
      copy.put(buf.duplicate()).flip();
      bytes[vrid] = copy;
      sources[vrid] = src;
      destinations[vrid] = dst;
      ttls[vrid] = ttl;
      decoded[vrid] = d;
    } else {
      bytes[vrid] = null; // the next advert for this VRID is decoded afresh
    }
    return d;
  }
}

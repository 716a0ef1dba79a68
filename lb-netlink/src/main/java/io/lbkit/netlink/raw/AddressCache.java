package io.lbkit.netlink.raw;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The addresses a receiving socket last saw, direct-mapped by their bytes: a VRRP
 * backup hears the same few masters every second, so a packet's source and destination
 * are found here without a new {@link InetAddress} (a miss builds one and replaces the
 * slot's). One receiving thread at a time.
 */
final class AddressCache {
  private static final int SLOTS = 64;
  private final byte[][] keys = new byte[SLOTS][];
  private final InetAddress[] values = new InetAddress[SLOTS];

  /** The address in {@code len} (4 or 16) bytes of {@code b} at {@code off}. */
  InetAddress get(ByteBuffer b, int off, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + b.get(off + i);
    }
    int slot = (h ^ (h >>> 7) ^ (h >>> 16)) & (SLOTS - 1);
    byte[] k = keys[slot];
    if (k != null && k.length == len && same(k, b, off)) {
      return values[slot];
    }
    byte[] a = new byte[len];
    b.get(off, a);
    InetAddress v = Inet.of(a);
    keys[slot] = Arrays.copyOf(a, len); // Inet.of may keep its argument
    values[slot] = v;
    return v;
  }

  private static boolean same(byte[] k, ByteBuffer b, int off) {
    for (int i = 0; i < k.length; i++) {
      if (k[i] != b.get(off + i)) {
        return false;
      }
    }
    return true;
  }
}

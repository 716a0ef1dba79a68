package io.lbkit.checks.internal;

import java.nio.ByteBuffer;

/**
 * keepalived's HEX_STR for UDP_CHECK payload and require_reply: free-format hex where
 * whitespace separates groups and a group of odd length ends in a one-digit byte
 * ({@code "Ab12f 3"} is AB 12 0F 03); in require_reply an {@code x} digit matches any
 * nibble. Pure.
 */
final class HexPattern {
  private final byte[] value;
  private final byte[] mask;

  private HexPattern(byte[] value, byte[] mask) {
    this.value = value;
    this.mask = mask;
  }

  /** Parses; throws naming the bad text. */
  static HexPattern parse(String text) {
    java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    for (String group : text.trim().split("\\s+")) {
      if (group.isEmpty()) {
        continue;
      }
      int i = 0;
      while (i < group.length()) {
        int end = Math.min(i + 2, group.length());
        int val = 0;
        int msk = 0;
        for (int j = i; j < end; j++) {
          char c = group.charAt(j);
          val <<= 4;
          msk <<= 4;
          if (c == 'x' || c == 'X') {
            continue;
          }
          int d = Character.digit(c, 16);
          if (d < 0) {
            throw new IllegalArgumentException("not a hex digit '" + c + "' in \"" + text + "\"");
          }
          val |= d;
          msk |= 0xf;
        }
        v.write(val);
        m.write(msk);
        i = end;
      }
    }
    return new HexPattern(v.toByteArray(), m.toByteArray());
  }

  /** The bytes (wildcard nibbles as 0), e.g. for a payload. */
  byte[] bytes() {
    return value.clone();
  }

  /** keepalived's rule: the reply must match up to the shorter of the two lengths. */
  boolean matches(ByteBuffer reply) {
    int n = Math.min(reply.remaining(), value.length);
    for (int i = 0; i < n; i++) {
      if (((reply.get(reply.position() + i) ^ value[i]) & mask[i]) != 0) {
        return false;
      }
    }
    return true;
  }
}

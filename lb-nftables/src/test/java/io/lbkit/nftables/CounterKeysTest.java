package io.lbkit.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.net.Inet;
import io.lbkit.nftables.internal.LbStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The counter keys' table: every key found at its slot, from any place of a buffer, whatever
 * the order the keys come in (the order of the last read first, then another), an unknown
 * key not found, a key added twice one slot.
 */
class CounterKeysTest {
  static final ServiceKey V4 = ServiceKey.of(Protocol.TCP, Inet.parse("10.1.0.1"), 80);
  static final ServiceKey V6 = ServiceKey.of(Protocol.UDP, Inet.parse("2001:db8::1"), 53);

  static List<byte[]> keys() {
    List<byte[]> out = new ArrayList<>();
    for (int r = 1; r <= 300; r++) {
      for (int dir : new int[] {LbStats.ORIGINAL, LbStats.REPLY}) {
        out.add(LbStats.key((ServiceKey.Inet) V4, RealServerKey.of("10.2." + r / 250 + "." + r % 250, 8080), dir));
        out.add(LbStats.key((ServiceKey.Inet) V6, RealServerKey.of("2001:db8::" + Integer.toHexString(r), 53), dir));
      }
    }
    out.add(new byte[] {1, 2, 3, 4, 5, 6, 7}); // a length not a multiple of 4
    return out;
  }

  /** The key placed at offset 3 of a native-order buffer, as a dump message carries it. */
  static ByteBuffer inBuffer(byte[] key) {
    ByteBuffer b = ByteBuffer.allocateDirect(key.length + 8).order(ByteOrder.nativeOrder());
    b.put(3, key);
    return b;
  }

  @Test
  void find_everyKeyAtItsSlot_unknownKeyNotFound_duplicateOneSlot() {
    List<byte[]> keys = keys();
    CounterKeys t = new CounterKeys(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      assertThat(t.add(keys.get(i))).isEqualTo(i);
    }
    assertThat(t.add(keys.get(5).clone())).as("the same key again").isEqualTo(5);
    assertThat(t.size()).isEqualTo(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] k = keys.get(i);
      assertThat(t.find(inBuffer(k), 3, k.length)).isEqualTo(i);
    }
    byte[] unknown = LbStats.key((ServiceKey.Inet) V4, RealServerKey.of("10.9.9.9", 8080), LbStats.ORIGINAL);
    assertThat(t.find(inBuffer(unknown), 3, unknown.length)).isEqualTo(-1);
    byte[] shorter = java.util.Arrays.copyOf(keys.get(0), 16);
    assertThat(t.find(inBuffer(shorter), 3, shorter.length)).as("a prefix of a key").isEqualTo(-1);
  }

  @Test
  void next_sameOrderAsLastRead_orAnother_orWithUnknownKeys_findsEachKeysSlot() {
    List<byte[]> keys = keys();
    CounterKeys t = new CounterKeys(keys.size());
    keys.forEach(t::add);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      order.add(i);
    }
    Random random = new Random(7);
    byte[] unknown = LbStats.key((ServiceKey.Inet) V4, RealServerKey.of("10.9.9.9", 8080), LbStats.REPLY);
    for (int read = 0; read < 6; read++) {
      if (read == 2 || read == 4) {
        Collections.shuffle(order, random); // the kernel's order changed (a set rehashed)
      }
      t.begin();
      for (int i : order) {
        byte[] k = keys.get(i);
        assertThat(t.next(inBuffer(k), 3, k.length)).as("read " + read + " key " + i).isEqualTo(i);
      }
      if (read == 3) {
        assertThat(t.next(inBuffer(unknown), 3, unknown.length)).isEqualTo(-1);
      }
      t.end();
    }
  }
}

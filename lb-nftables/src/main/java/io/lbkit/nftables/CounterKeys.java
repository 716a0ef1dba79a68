package io.lbkit.nftables;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counter keys to slots (0, 1, ...; a key shared by services of one VIP on other ports
 * has one slot), found from bytes in a buffer without copying them: open addressing over
 * flat arrays, keys hashed and compared 4 bytes at a time (their parts are padded to 4
 * bytes), for {@link StatsReader}. The kernel dumps an unchanged set in the same order each time, so a read first
 * compares each key with the one at its position in the last read (a walk through memory in
 * order; a lookup in the table is cache misses), and looks it up only when that differs.
 * Pure code, not thread-safe.
 */
final class CounterKeys {
  private final int[] table; // slot + 1, 0 when empty
  private final int mask;
  private int[] hashes = new int[64]; // by slot
  private int[] from = new int[64]; // by slot: where its words start
  private int[] lengths = new int[64]; // by slot: its length in bytes
  private int[] words = new int[256]; // every key's bytes as native-order ints, zero-padded
  private int used;
  private int size;
  private int[] order = new int[0]; // the last read's slots in the kernel's order (-1: unknown key)
  private int[] orderFrom = new int[0]; // where each one's words start in orderWords
  private int[] orderLength = new int[0]; // its length in bytes (-1: unknown key)
  private int[] orderWords = new int[0];
  private int[] next = new int[64]; // this read's slots so far
  private int pos;
  private boolean missed;

  CounterKeys(int expected) {
    int cap = Integer.highestOneBit(Math.max(8, expected * 2) - 1) << 1;
    table = new int[cap];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  /** The key's slot, a new one if it is new. */
  int add(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
    int found = find(b, 0, key.length);
    if (found >= 0) {
      return found;
    }
    int h = hash(b, 0, key.length);
    int n = (key.length + 3) / 4;
    if (size == hashes.length) {
      hashes = java.util.Arrays.copyOf(hashes, 2 * size);
      from = java.util.Arrays.copyOf(from, 2 * size);
      lengths = java.util.Arrays.copyOf(lengths, 2 * size);
    }
    if (used + n > words.length) {
      words = java.util.Arrays.copyOf(words, Math.max(2 * words.length, used + n));
    }
    ByteBuffer padded = ByteBuffer.allocate(4 * n).order(ByteOrder.nativeOrder()).put(key);
    for (int i = 0; i < n; i++) {
      words[used + i] = padded.getInt(4 * i);
    }
    hashes[size] = h;
    from[size] = used;
    lengths[size] = key.length;
    used += n;
    int i = h & mask;
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = size + 1;
    return size++;
  }

  /** Starts a read: keys come in the kernel's order through {@link #next}. */
  void begin() {
    pos = 0;
    missed = false;
  }

  /** The slot of the read's next key, or -1: as {@link #find}, cheaper when at the same position as last time. */
  int next(ByteBuffer buf, int off, int len) {
    int slot;
    if (pos < order.length && orderLength[pos] == len && equal(orderWords, orderFrom[pos], buf, off, len)) {
      slot = order[pos];
    } else {
      slot = find(buf, off, len);
      missed = true;
    }
    if (pos == next.length) {
      next = java.util.Arrays.copyOf(next, 2 * pos);
    }
    next[pos++] = slot;
    return slot;
  }

  /** Ends a read: its order is the one the next read expects. */
  void end() {
    if (!missed && pos == order.length) {
      return;
    }
    order = java.util.Arrays.copyOf(next, pos);
    orderFrom = new int[pos];
    orderLength = new int[pos];
    int n = 0;
    for (int slot : order) {
      n += slot < 0 ? 0 : (lengths[slot] + 3) / 4;
    }
    orderWords = new int[n];
    int at = 0;
    for (int i = 0; i < pos; i++) {
      int slot = order[i];
      orderFrom[i] = at;
      orderLength[i] = slot < 0 ? -1 : lengths[slot];
      if (slot >= 0) {
        int w = (lengths[slot] + 3) / 4;
        System.arraycopy(words, from[slot], orderWords, at, w);
        at += w;
      }
    }
  }

  /** The slot of the key of {@code len} bytes at {@code off} of {@code buf} (native order), or -1. */
  int find(ByteBuffer buf, int off, int len) {
    int h = hash(buf, off, len);
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int slot = table[i] - 1;
      if (slot < 0) {
        return -1;
      }
      if (hashes[slot] == h && lengths[slot] == len && equal(words, from[slot], buf, off, len)) {
        return slot;
      }
    }
  }

  /** A hash of the bytes (as native-order ints, the last one zero-padded). */
  private static int hash(ByteBuffer b, int off, int len) {
    int h = len;
    for (int i = 0; i < len; i += 4) {
      h = Integer.rotateLeft((h ^ word(b, off, i, len)) * 0x9e3779b1, 13);
    }
    h ^= h >>> 16; // murmur3's finalizer: addresses that differ in a few bits spread over the table
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  private static boolean equal(int[] words, int at, ByteBuffer b, int off, int len) {
    for (int i = 0; i < len; i += 4) {
      if (words[at + i / 4] != word(b, off, i, len)) {
        return false;
      }
    }
    return true;
  }

  /** The native-order int at byte {@code i} of the key at {@code off}, zero-padded past {@code len}. */
  private static int word(ByteBuffer b, int off, int i, int len) {
    if (i + 4 <= len) {
      return b.getInt(off + i);
    }
    byte[] last = new byte[4];
    for (int j = 0; i + j < len; j++) {
      last[j] = b.get(off + i + j);
    }
    return ByteBuffer.wrap(last).order(b.order()).getInt();
  }
}

package io.lbkit.nftables.internal;

import io.lbkit.api.RealServerKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A pure Java model of the kernel's Maglev scheduler, {@code net/netfilter/ipvs/ip_vs_mh.c}
 * (Linux 4.18 and later), with its defaults: a table of {@value #TABLE_SIZE} slots
 * ({@code CONFIG_IP_VS_MH_TAB_INDEX=12}, Debian's and the kernel's default), the two fixed
 * hsiphash keys of {@code generate_hash_secret}, and the permutation and population of
 * {@code ip_vs_mh_permutate}/{@code ip_vs_mh_populate} with the weights reduced by their
 * greatest common divisor and shifted right so that the largest fits in
 * {@value #TAB_BITS} bits. Given the real servers in the kernel's list order and their
 * weights, {@link #table} returns the same slot to real-server table as the kernel builds,
 * and {@link #flowSlot} the slot the kernel looks a new connection up in.
 *
 * <p>What it assumes and what it cannot see:
 * <ul>
 *   <li>The kernel's table depends on the <em>order</em> of the service's real-server list,
 *       and IPVS puts a new real server at the head: the list is the real servers newest
 *       first. {@link #ipvsOrder} gives the order of a service whose real servers were
 *       added in address order (lbkit's nftables dataplane lays its table out that way).
 *   <li>The kernel builds the table from each real server's last non-zero weight
 *       ({@code last_weight}): a real server set to weight 0 keeps its slots and is only
 *       marked unavailable. The caller passes those weights.
 *   <li>{@code hsiphash} is modelled as on 64-bit kernels (SipHash-1-3 with a 64-bit
 *       key), on a little-endian CPU (x86-64, arm64); 32-bit kernels use HalfSipHash and
 *       differ.
 * </ul>
 * Pure code. Internal.
 */
public final class Maglev {
  /** IP_VS_MH_TAB_SIZE with the default CONFIG_IP_VS_MH_TAB_INDEX (12): primes[4]. */
  public static final int TABLE_SIZE = 4093;
  /** IP_VS_MH_TAB_BITS: CONFIG_IP_VS_MH_TAB_INDEX / 2. */
  static final int TAB_BITS = 6;
  /** generate_hash_secret: hash1 (offsets and lookups), both key words. */
  static final long KEY1 = 2654435761L;
  /** generate_hash_secret: hash2 (skips), both key words. */
  static final long KEY2 = 2654446892L;

  private Maglev() {}

  /**
   * The kernel's lookup table.
   *
   * @param servers the real servers in the kernel's list order (see {@link #ipvsOrder})
   * @param weights each server's last non-zero weight (0 only for one added at weight 0)
   * @return for each of the {@value #TABLE_SIZE} slots the index in {@code servers} of
   *     its real server, or -1 for every slot when no weight is above 0
   */
  public static int[] table(List<RealServerKey> servers, int[] weights) {
    int n = servers.size();
    if (weights.length != n) {
      throw new IllegalArgumentException(n + " servers but " + weights.length + " weights");
    }
    int[] table = new int[TABLE_SIZE];
    Arrays.fill(table, -1);
    int g = 0;
    int max = 0;
    for (int w : weights) {
      if (w > 0) {
        g = g > 0 ? gcd(w, g) : w;
      }
      max = Math.max(max, w);
    }
    if (g < 1) {
      return table; // ip_vs_mh_reset: no server
    }
    int shift = Math.max(0, fls(max / g) - TAB_BITS);
    int[] skip = new int[n];
    int[] perm = new int[n];
    int[] turns = new int[n];
    for (int i = 0; i < n; i++) {
      RealServerKey s = servers.get(i);
      perm[i] = Integer.remainderUnsigned(hashkey(s.address(), s.port(), KEY1, 0), TABLE_SIZE);
      skip[i] = Integer.remainderUnsigned(hashkey(s.address(), s.port(), KEY2, 0), TABLE_SIZE - 1) + 1;
      int t = (weights[i] / g) >> shift;
      turns[i] = t != 0 ? t : weights[i] != 0 ? 1 : 0;
    }
    boolean[] taken = new boolean[TABLE_SIZE];
    int filled = 0;
    int count = 0;
    while (true) { // ip_vs_mh_populate: each pass walks the list, each server taking `turns` slots
      for (int i = 0; i < n; ) {
        if (turns[i] < 1) {
          i++;
          continue;
        }
        int c = perm[i];
        while (taken[c]) {
          perm[i] += skip[i];
          if (perm[i] >= TABLE_SIZE) {
            perm[i] -= TABLE_SIZE;
          }
          c = perm[i];
        }
        taken[c] = true;
        table[c] = i;
        if (++filled == TABLE_SIZE) {
          return table;
        }
        if (++count >= turns[i]) {
          count = 0;
          i++;
        }
      }
    }
  }

  /**
   * The slots of a service as the nftables dataplane lays them out: the real servers of
   * weight above 0 in {@link #ipvsOrder}, each with its weight (so a real server at weight
   * 0 has no slot: see the package documentation for how that differs from IPVS).
   *
   * @return {@value #TABLE_SIZE} real servers, or none when no weight is above 0
   */
  public static List<RealServerKey> slots(SortedMap<RealServerKey, Integer> weights) {
    List<RealServerKey> servers = new ArrayList<>();
    for (Map.Entry<RealServerKey, Integer> e : weights.entrySet()) {
      if (e.getValue() > 0) {
        servers.add(e.getKey());
      }
    }
    servers = ipvsOrder(servers);
    int[] w = new int[servers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(servers.get(i));
    }
    if (servers.isEmpty()) {
      return List.of();
    }
    int[] t = table(servers, w);
    List<RealServerKey> out = new ArrayList<>(TABLE_SIZE);
    for (int i : t) {
      out.add(servers.get(i));
    }
    return out;
  }

  /**
   * IPVS's list order for real servers added one by one in {@code added}'s order: newest
   * first ({@code list_add_rcu} at the head of {@code svc->destinations}). For real
   * servers added in address order that is descending address order.
   */
  public static List<RealServerKey> ipvsOrder(List<RealServerKey> added) {
    List<RealServerKey> l = new ArrayList<>(added);
    java.util.Collections.reverse(l);
    return l;
  }

  /**
   * The slot the kernel's {@code ip_vs_mh_get} looks a new connection up in: the hash of
   * the client address (and its source port with the {@code mh-port} flag; else 0).
   */
  public static int flowSlot(InetAddress client, int sourcePort) {
    return Integer.remainderUnsigned(hashkey(client, sourcePort, KEY1, 0), TABLE_SIZE);
  }

  /**
   * {@code ip_vs_mh_hashkey}: hsiphash of the u32 {@code offset + port + address}, the
   * address being an IPv4 address, or the XOR of an IPv6 address's four 32-bit words, as a
   * host-order integer.
   */
  static int hashkey(InetAddress addr, int port, long key, int offset) {
    byte[] a = addr.getAddress();
    int fold = 0;
    for (int i = 0; i < a.length; i += 4) {
      fold ^= (a[i] & 0xff) << 24 | (a[i + 1] & 0xff) << 16 | (a[i + 2] & 0xff) << 8 | a[i + 3] & 0xff;
    }
    if (!(addr instanceof Inet6Address) && a.length != 4) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + addr);
    }
    return hsiphash32(offset + port + fold, key, key);
  }

  /**
   * The kernel's {@code hsiphash(&v, 4, key)} on a 64-bit little-endian kernel:
   * SipHash-1-3 of the four bytes of {@code v}, truncated to 32 bits.
   */
  static int hsiphash32(int v, long k0, long k1) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    long b = 4L << 56 | (v & 0xffffffffL);
    long[] s = {v0, v1, v2, v3};
    s[3] ^= b;
    round(s);
    s[0] ^= b;
    s[2] ^= 0xff;
    round(s);
    round(s);
    round(s);
    return (int) (s[0] ^ s[1] ^ s[2] ^ s[3]);
  }

  /** SIPHASH_PERMUTATION. */
  private static void round(long[] s) {
    s[0] += s[1];
    s[1] = Long.rotateLeft(s[1], 13);
    s[1] ^= s[0];
    s[0] = Long.rotateLeft(s[0], 32);
    s[2] += s[3];
    s[3] = Long.rotateLeft(s[3], 16);
    s[3] ^= s[2];
    s[0] += s[3];
    s[3] = Long.rotateLeft(s[3], 21);
    s[3] ^= s[0];
    s[2] += s[1];
    s[1] = Long.rotateLeft(s[1], 17);
    s[1] ^= s[2];
    s[2] = Long.rotateLeft(s[2], 32);
  }

  /** The kernel's fls: the 1-based index of the highest set bit, 0 for 0. */
  static int fls(int x) {
    return 32 - Integer.numberOfLeadingZeros(x);
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}

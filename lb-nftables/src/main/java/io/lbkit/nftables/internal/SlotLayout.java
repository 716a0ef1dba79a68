package io.lbkit.nftables.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Which real server each slot of a service's {@code numgen ... mod N map @slots_*} sends
 * a new connection to. rr: one slot per real server of weight above 0. wrr and random:
 * weights divided by their greatest common divisor, slots in the order the kernel's
 * {@code ip_vs_wrr} picks (so {@code numgen inc} walks the same sequence). mh: the
 * {@value Maglev#TABLE_SIZE} slots of the kernel's {@code ip_vs_mh} table (see {@link Maglev}).
 * Weight 0: no slot, so no new connections. Real servers in address order. Pure code. Internal.
 */
public final class SlotLayout {
  /** The most slots one service may have (elements of its slots map). */
  public static final int MAX_SLOTS = 4096;

  private SlotLayout() {}

  /** The slot count {@link #of} would lay out, without laying it out. */
  public static long size(Scheduler scheduler, SortedMap<RealServerKey, Integer> weights) {
    if (scheduler.equals(Scheduler.MH)) {
      return weights.values().stream().anyMatch(w -> w > 0) ? Maglev.TABLE_SIZE : 0;
    }
    long sum = 0;
    int g = gcd(weights);
    for (int w : weights.values()) {
      if (w > 0) {
        sum += scheduler.equals(Scheduler.RR) ? 1 : w / g;
      }
    }
    return sum;
  }

  /**
   * The slots in order.
   *
   * @throws IllegalArgumentException when more than {@link #MAX_SLOTS} are needed
   */
  public static List<RealServerKey> of(Scheduler scheduler, SortedMap<RealServerKey, Integer> weights) {
    long n = size(scheduler, weights);
    if (n > MAX_SLOTS) {
      throw new IllegalArgumentException("the weights need " + n + " slots, more than " + MAX_SLOTS);
    }
    if (scheduler.equals(Scheduler.MH)) {
      return Maglev.slots(weights);
    }
    List<RealServerKey> keys = new ArrayList<>();
    List<Integer> w = new ArrayList<>();
    int g = gcd(weights);
    for (Map.Entry<RealServerKey, Integer> e : weights.entrySet()) {
      if (e.getValue() > 0) {
        keys.add(e.getKey());
        w.add(scheduler.equals(Scheduler.RR) ? 1 : e.getValue() / g);
      }
    }
    List<RealServerKey> slots = new ArrayList<>((int) n);
    if (keys.isEmpty()) {
      return slots;
    }
    int max = w.stream().mapToInt(Integer::intValue).max().orElse(1);
    int cw = 0;
    int i = -1;
    while (slots.size() < n) { // ip_vs_wrr_schedule with gcd 1: terminates after n picks
      i = (i + 1) % keys.size();
      if (i == 0) {
        cw = cw - 1 <= 0 ? max : cw - 1;
      }
      if (w.get(i) >= cw) {
        slots.add(keys.get(i));
      }
    }
    return slots;
  }

  private static int gcd(SortedMap<RealServerKey, Integer> weights) {
    int g = 0;
    for (int w : weights.values()) {
      if (w > 0) {
        g = g == 0 ? w : java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf(w)).intValue();
      }
    }
    return g == 0 ? 1 : g;
  }
}

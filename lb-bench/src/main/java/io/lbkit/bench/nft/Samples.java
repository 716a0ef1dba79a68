package io.lbkit.bench.nft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Timings in nanoseconds: their median and how to print them. */
final class Samples {
  private final List<Long> nanos = new ArrayList<>();

  void add(long t) {
    nanos.add(t);
  }

  int size() {
    return nanos.size();
  }

  /** The median in nanoseconds (the lower middle for an even count); 0 when empty. */
  long median() {
    if (nanos.isEmpty()) {
      return 0;
    }
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return s.get((s.size() - 1) / 2);
  }

  /** {@code 12.345 ms (median of 5)}. */
  String text() {
    return ms(median()) + " (median of " + nanos.size() + ")";
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  /** {@code a / b} to three significant places. */
  static String ratio(long a, long b) {
    return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.3g", (double) a / b);
  }
}

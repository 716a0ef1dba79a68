package io.lbkit.bench.scale;

import java.lang.management.ManagementFactory;

/** Heap in use after full collections (settled: repeated until it stops shrinking). */
public final class Heap {
  private Heap() {}

  /** Bytes of heap in use after GC. */
  public static long usedAfterGc() throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= last - 4096) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }
}

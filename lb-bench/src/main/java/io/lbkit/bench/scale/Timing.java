package io.lbkit.bench.scale;

import java.util.Arrays;

/** Medians of repeated timings, in milliseconds. */
final class Timing {
  private Timing() {}

  /** A step to time. */
  interface Task {
    void run() throws Exception;
  }

  /** A run that returns its own measured milliseconds (to leave set-up out). */
  interface Measured {
    double run() throws Exception;
  }

  /** Wall time of one run of {@code t}, ms. */
  static double ms(Task t) throws Exception {
    long t0 = System.nanoTime();
    t.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** The median of {@code reps} runs. */
  static double median(int reps, Measured m) throws Exception {
    double[] x = new double[reps];
    for (int i = 0; i < reps; i++) {
      x[i] = m.run();
    }
    Arrays.sort(x);
    return reps % 2 == 1 ? x[reps / 2] : (x[reps / 2 - 1] + x[reps / 2]) / 2;
  }
}

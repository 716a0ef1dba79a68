package io.lbkit.checks.internal;

import java.util.ArrayDeque;

/**
 * The global concurrency cap: at most {@code max} attempts in flight, the rest wait
 * in FIFO order, so that a restart does not hit every backend at once. Not
 * thread-safe (the scheduler's lock guards it); re-entrant calls are flattened into
 * one loop so a probe that completes synchronously cannot recurse without bound.
 */
final class Gate {
  private final int max;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean draining;
  private int peak;

  Gate(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max concurrent checks must be at least 1: " + max);
    }
    this.max = max;
  }

  /** Runs {@code attempt} now if under the cap, else when a slot frees. */
  void acquire(Runnable attempt) {
    waiting.add(attempt);
    drain();
  }

  /** An attempt finished: its slot goes to the next waiter. */
  void release() {
    if (inFlight <= 0) {
      throw new IllegalStateException("gate released more often than acquired");
    }
    inFlight--;
    drain();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (inFlight < max && !waiting.isEmpty()) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        waiting.poll().run();
      }
    } finally {
      draining = false;
    }
  }

  int inFlight() {
    return inFlight;
  }

  int waiting() {
    return waiting.size();
  }

  int peak() {
    return peak;
  }
}

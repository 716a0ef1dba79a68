package io.lbkit.checks.internal;

import java.util.Arrays;

/**
 * The engine's deadlines: a binary min-heap ordered by a parallel {@code long[]} of due
 * times (comparisons touch no objects), where each entry knows its slot so that a
 * deadline cancelled on the loop thread leaves at once — the heap holds live deadlines
 * only, not every finished check's timeout. Loop thread only.
 */
final class DeadlineHeap {
  private long[] due = new long[256];
  private NioEngine.Deadline[] items = new NioEngine.Deadline[256];
  private int size;

  int size() {
    return size;
  }

  void add(NioEngine.Deadline d) {
    if (size == items.length) {
      due = Arrays.copyOf(due, size * 2);
      items = Arrays.copyOf(items, size * 2);
    }
    d.heap = this;
    up(size++, d);
  }

  /** The earliest deadline, or null. */
  NioEngine.Deadline peek() {
    return size == 0 ? null : items[0];
  }

  /** The earliest due time; only when not empty. */
  long peekDue() {
    return due[0];
  }

  /** Removes and returns the earliest deadline, or null. */
  NioEngine.Deadline poll() {
    if (size == 0) {
      return null;
    }
    NioEngine.Deadline top = items[0];
    removeAt(0);
    return top;
  }

  /** Removes {@code d} if it is still here. */
  void remove(NioEngine.Deadline d) {
    int i = d.slot;
    if (d.heap == this && i < size && items[i] == d) {
      removeAt(i);
    }
  }

  private void removeAt(int i) {
    NioEngine.Deadline gone = items[i];
    gone.heap = null;
    NioEngine.Deadline last = items[--size];
    items[size] = null;
    if (i < size) {
      down(i, last);
      if (items[i] == last) {
        up(i, last);
      }
    }
  }

  private void up(int i, NioEngine.Deadline d) {
    long t = d.due;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (due[parent] <= t) {
        break;
      }
      place(i, items[parent], due[parent]);
      i = parent;
    }
    place(i, d, t);
  }

  private void down(int i, NioEngine.Deadline d) {
    long t = d.due;
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      if (c + 1 < size && due[c + 1] < due[c]) {
        c++;
      }
      if (t <= due[c]) {
        break;
      }
      place(i, items[c], due[c]);
      i = c;
    }
    place(i, d, t);
  }

  private void place(int i, NioEngine.Deadline d, long t) {
    items[i] = d;
    due[i] = t;
    d.slot = i;
  }
}

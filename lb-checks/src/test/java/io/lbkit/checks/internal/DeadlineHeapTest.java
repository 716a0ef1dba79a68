package io.lbkit.checks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's deadline heap, alone: order, removal from any slot, growth. */
class DeadlineHeapTest {
  private static final NioEngine ENGINE = null; // cancel() is not used here; remove() is called directly

  private static NioEngine.Deadline at(long due) {
    return new NioEngine.Deadline(ENGINE, due, () -> { });
  }

  @Test
  void poll_returnsDeadlinesInDueOrder_afterRandomRemovals() {
    Random rnd = new Random(42);
    DeadlineHeap heap = new DeadlineHeap();
    List<NioEngine.Deadline> live = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      NioEngine.Deadline d = at(rnd.nextInt(1000));
      heap.add(d);
      live.add(d);
      if (rnd.nextInt(3) == 0) {
        NioEngine.Deadline gone = live.remove(rnd.nextInt(live.size()));
        heap.remove(gone);
      }
    }
    assertThat(heap.size()).isEqualTo(live.size());
    long last = Long.MIN_VALUE;
    int polled = 0;
    NioEngine.Deadline d;
    while ((d = heap.poll()) != null) {
      assertThat(d.due).isGreaterThanOrEqualTo(last);
      assertThat(live).contains(d);
      last = d.due;
      polled++;
    }
    assertThat(polled).isEqualTo(live.size());
  }

  @Test
  void remove_ofAnAlreadyPolledDeadline_changesNothing() {
    DeadlineHeap heap = new DeadlineHeap();
    NioEngine.Deadline a = at(1);
    NioEngine.Deadline b = at(2);
    heap.add(a);
    heap.add(b);
    assertThat(heap.poll()).isSameAs(a);
    heap.remove(a);
    assertThat(heap.size()).isEqualTo(1);
    assertThat(heap.peek()).isSameAs(b);
  }
}

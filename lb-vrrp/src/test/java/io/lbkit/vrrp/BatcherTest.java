package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** RawVrrpTransport's receive batching: which packets start a gather, and what the receiver is told. */
class BatcherTest {
  private static final InetAddress SRC = Inet.parse("10.0.0.1");
  private static final InetAddress GROUP = Inet.parse("224.0.0.18");
  private final List<Long> ages = new ArrayList<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicBoolean busyDuringDelivery = new AtomicBoolean();
  private final RawVrrpTransport.Batcher batcher = new RawVrrpTransport.Batcher((vrrp, src, dst, ttl) -> { },
      busy);
  private final RawVrrpTransport.Batcher recording = new RawVrrpTransport.Batcher(new VrrpTransport.Receiver() {
    @Override
    public void received(ByteBuffer vrrp, InetAddress src, InetAddress dst, int ttl) {
      throw new AssertionError("the age-carrying method is the one called");
    }

    @Override
    public void received(ByteBuffer vrrp, InetAddress src, InetAddress dst, int ttl, long ageNanos) {
      busyDuringDelivery.set(busy.get());
      ages.add(ageNanos);
    }
  }, busy);

  private void at(RawVrrpTransport.Batcher b, long arrivalNanos) {
    b.packet(ByteBuffer.allocate(20), SRC, GROUP, 255, arrivalNanos);
  }

  @Test
  void firstPacket_isNotABurst() {
    at(batcher, 1_000_000_000L);
    assertThat(batcher.inBurst()).isFalse();
  }

  @Test
  void packetsWithinTheGap_areABurst_andAQuietSpellEndsIt() {
    long t = 1_000_000_000L;
    at(batcher, t);
    at(batcher, t + RawVrrpTransport.Batcher.BURST_GAP_NANOS - 1);
    assertThat(batcher.inBurst()).isTrue();
    at(batcher, t + 3 * RawVrrpTransport.Batcher.BURST_GAP_NANOS);
    assertThat(batcher.inBurst()).isFalse();
  }

  @Test
  void packetArrivingBeforeThePreviousOne_isNotABurst() {
    // a kernel timestamp from before the last one (a read time stood in for a missing timestamp)
    at(batcher, 2_000_000_000L);
    at(batcher, 1_000_000_000L);
    assertThat(batcher.inBurst()).isFalse();
  }

  @Test
  void delivery_carriesTheKernelAge_andMarksTheChannelBusy() {
    long arrived = System.nanoTime() - 7_000_000; // waited 7 ms in the socket buffer (a gather)
    at(recording, arrived);
    assertThat(ages).singleElement().satisfies(a -> assertThat(a).isGreaterThanOrEqualTo(7_000_000));
    assertThat(busyDuringDelivery).isTrue();
    assertThat(busy).isFalse();
  }

  @Test
  void gather_goesOnWhileTheLastPacketIsRecent_orTheReadWasFull() {
    long t = 1_000_000_000L;
    at(batcher, t);
    long gap = RawVrrpTransport.Batcher.BURST_GAP_NANOS;
    assertThat(batcher.goesOn(5, t + gap - 1)).isTrue();
    assertThat(batcher.goesOn(5, t + gap)).isFalse(); // quiet for the gap: the burst is over
    assertThat(batcher.goesOn(0, t)).isFalse(); // nothing read
    assertThat(batcher.goesOn(RawVrrpTransport.Batcher.GATHER_MAX, t + 10 * gap)).isTrue(); // more may be queued
  }

  @Test
  void drain_keepsTheChannelBusyFromTheReadToTheLastPacket() throws Exception {
    // a batched read takes several packets off the socket at once: between two of them the rest are neither
    // queued nor being handled, and a timer asking for pending input must still see the channel busy
    List<Boolean> seen = new ArrayList<>();
    int got = recording.drainBusy((max, h) -> {
      seen.add(busy.get()); // before the packets: read, not yet handed over
      for (int i = 0; i < 3; i++) {
        h.packet(ByteBuffer.allocate(20), SRC, GROUP, 255, System.nanoTime());
        seen.add(busy.get()); // between two packets
      }
      return 3;
    });
    assertThat(got).isEqualTo(3);
    assertThat(seen).containsOnly(true).hasSize(4);
    assertThat(busy).isFalse();
    assertThat(ages).hasSize(3);
  }
}

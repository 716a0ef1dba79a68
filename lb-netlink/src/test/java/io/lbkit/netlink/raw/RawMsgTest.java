package io.lbkit.netlink.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The kernel receive time read from a recvmsg's ancillary data (no socket: the block is filled by hand). */
class RawMsgTest {
  final RawMsg m = new RawMsg(-1, ByteBuffer.allocateDirect(64));

  /** Puts control messages (level, type, 16 bytes of data each) as the kernel lays them out. */
  void control(long[]... cmsgs) {
    int off = 0;
    for (long[] c : cmsgs) {
      m.block.putLong(RawMsg.CONTROL + off, 32).putInt(RawMsg.CONTROL + off + 8, (int) c[0])
          .putInt(RawMsg.CONTROL + off + 12, (int) c[1]).putLong(RawMsg.CONTROL + off + 16, c[2])
          .putLong(RawMsg.CONTROL + off + 24, c[3]);
      off += 32;
    }
    m.block.putLong(RawMsg.MSG_CONTROLLEN, off);
  }

  static long[] timestamp(Instant t) {
    return new long[] {RawMsg.SOL_SOCKET, RawMsg.SO_TIMESTAMPNS, t.getEpochSecond(), t.getNano()};
  }

  @Test
  void kernelTime_fiveMillisecondsAgo_isNowMinusFiveOnTheMonotonicScale() {
    long before = System.nanoTime();
    control(new long[] {41, 52, 255, 0}, timestamp(Instant.now().minusMillis(5))); // a hop limit first
    long got = m.kernelTime(-1);
    long after = System.nanoTime();
    assertThat(got).isBetween(before - 5_000_000 - (after - before), after - 5_000_000);
  }

  @Test
  void kernelTime_noTimestamp_isTheReadTime() {
    control(new long[] {41, 52, 255, 0});
    assertThat(m.kernelTime(1234)).isEqualTo(1234);
    control();
    assertThat(m.kernelTime(1234)).isEqualTo(1234);
  }

  @Test
  void kernelTime_inTheFutureOrOlderThanASecond_isTheReadTime() {
    control(timestamp(Instant.now().plusSeconds(3)));
    assertThat(m.kernelTime(1234)).isEqualTo(1234);
    control(timestamp(Instant.now().minusSeconds(2)));
    assertThat(m.kernelTime(1234)).isEqualTo(1234);
  }

  @Test
  void kernelTime_truncatedControlMessage_isIgnored() {
    control(timestamp(Instant.now().minusMillis(5)));
    m.block.putLong(RawMsg.MSG_CONTROLLEN, 24); // the kernel cut it (MSG_CTRUNC): no full timespec
    assertThat(m.kernelTime(1234)).isEqualTo(1234);
  }
}

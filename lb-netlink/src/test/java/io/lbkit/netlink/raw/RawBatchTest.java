package io.lbkit.netlink.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import io.lbkit.api.kernel.Errno;
import io.lbkit.netlink.internal.LibC;
import io.lbkit.netlink.internal.Syscalls;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * recvmmsg(2) through RawBatch's headers, on a UDP socket on 127.0.0.1 (no privilege needed;
 * the layout is the same for the raw socket): counts, lengths, sources, truncation, kernel times.
 * IPv6 (each slot's own name and ancillary data): RawBatchNetnsTest.
 */
class RawBatchTest {
  private int fd;
  private int port;
  private DatagramChannel sender;
  private final RawBatch batch = new RawBatch();

  @BeforeEach
  void open() throws Exception {
    fd = Syscalls.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM, 0);
    Syscalls.setsockopt(fd, RawMsg.SOL_SOCKET, RawMsg.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
    LibC.SockaddrIn lo = new LibC.SockaddrIn();
    lo.sin_addr = new byte[] {127, 0, 0, 1};
    Syscalls.bind(fd, lo);
    LibC.SockaddrIn me = new LibC.SockaddrIn();
    Syscalls.getsockname(fd, me);
    port = Short.toUnsignedInt(Short.reverseBytes(me.sin_port));
    sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void close() throws Exception {
    sender.close();
    Syscalls.close(fd);
  }

  private void send(int size, int tag) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(0, (byte) tag);
    sender.send(b, new InetSocketAddress("127.0.0.1", port));
  }

  @Test
  void twentyQueued_readAsSixteenThenFour_thenNothingQueued() throws Exception {
    long before = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      send(40 + i, i);
    }
    assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(16);
    for (int i = 0; i < 16; i++) {
      assertThat(batch.length(i)).isEqualTo(40 + i);
      assertThat(batch.data(i).get(0)).isEqualTo((byte) i);
      assertThat(batch.truncated(i)).isFalse();
      // the source in the slot's name: sockaddr_in, address at 4
      assertThat(batch.block.get(RawBatch.nameOffset(i) + 4)).isEqualTo((byte) 127);
      assertThat(batch.kernelTime(i, -1)).isBetween(before - 1_000_000, System.nanoTime());
    }
    assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(4); // fewer than asked: the queue is empty
    assertThat(batch.length(3)).isEqualTo(59);
    assertThat(batch.data(3).get(0)).isEqualTo((byte) 19);
    assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(-1);
  }

  @Test
  void askingForFewer_leavesTheRestQueued() throws Exception {
    for (int i = 0; i < 3; i++) {
      send(30, i);
    }
    assertThat(batch.receiveQueued(fd, 2)).isEqualTo(2);
    assertThat(batch.receiveQueued(fd, 2)).isEqualTo(1);
    assertThat(batch.data(0).get(0)).isEqualTo((byte) 2);
  }

  @Test
  void datagramLongerThanASlot_isMarkedTruncated() throws Exception {
    send(RawBatch.DATA_SIZE + 100, 7);
    send(50, 8);
    assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(2);
    assertThat(batch.truncated(0)).isTrue();
    assertThat(batch.truncated(1)).isFalse();
    assertThat(batch.length(1)).isEqualTo(50);
  }

  @Test
  void noTimestamp_isTheReadTime() throws Exception {
    Syscalls.setsockopt(fd, RawMsg.SOL_SOCKET, RawMsg.SO_TIMESTAMPNS, 0, "SO_TIMESTAMPNS off");
    send(30, 1);
    assertThat(batch.receiveQueued(fd, RawBatch.SLOTS)).isEqualTo(1);
    assertThat(batch.kernelTime(0, 1234)).isEqualTo(1234);
  }

  @Test
  void badDescriptor_throwsItsErrno() {
    assertThatThrownBy(() -> batch.receiveQueued(-1, 4)).isInstanceOfSatisfying(LastErrorException.class,
        e -> assertThat(e.getErrorCode()).isEqualTo(Errno.EBADF));
  }
}

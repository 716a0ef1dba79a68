package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.api.kernel.NoSuchServiceException;
import io.lbkit.api.kernel.ObjectExistsException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The socket layer against the byte-level {@link FakeKernel}. */
class NetlinkSocketTest {
  private static final int PORT = 4242;
  private static final int TYPE = 0x20;

  private static ByteBuffer message(int cmd, int value) {
    NlWriter w = new NlWriter(64);
    int m = w.beginMessage(TYPE, Nl.NLM_F_REQUEST);
    w.genl(cmd, 1).putU32(1, value);
    w.endMessage(m);
    return w.flip();
  }

  private static ByteBuffer batchOf(int n) {
    NlWriter w = new NlWriter(64);
    for (int i = 0; i < n; i++) {
      int m = w.beginMessage(TYPE, Nl.NLM_F_REQUEST);
      w.genl(1, 1).putU32(1, i);
      w.endMessage(m);
    }
    return w.flip();
  }

  private static int valueOf(FakeKernel.Request r) {
    try {
      return r.attrs(Nl.GENL_HDRLEN, 1).u32(1);
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void request_ack_returnsReplyMessagesAndStampsSeqAndPort() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> {
      out.data(TYPE, 0, new byte[] {9, 1, 0, 0});
      out.ack();
    });
    try (NetlinkSocket s = NetlinkSocket.over(k, 100)) {
      List<ByteBuffer> replies = s.request(message(1, 7), Subject.OTHER, "op");
      assertThat(replies).hasSize(1);
      assertThat(replies.get(0).get(Nl.NLMSG_HDRLEN)).isEqualTo((byte) 9);
      FakeKernel.Request r = k.requests.get(0);
      assertThat(r.pid()).isEqualTo(PORT);
      assertThat(r.flags() & Nl.NLM_F_ACK).isNotZero();
    }
  }

  @Test
  void request_errorWithExtAck_throwsTranslatedExceptionNamingOperationErrnoAndText() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.error(Errno.EEXIST, "service already there"));
    NetlinkSocket s = NetlinkSocket.over(k, 100);
    assertThatThrownBy(() -> s.request(message(1, 7), Subject.SERVICE, "IPVS add service TCP 10.0.0.1:80"))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessageContaining("IPVS add service TCP 10.0.0.1:80")
        .hasMessageContaining("EEXIST")
        .hasMessageContaining("service already there");
  }

  @Test
  void request_esrchAboutDest_isNoSuchService() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.error(Errno.ESRCH, null));
    NetlinkSocket s = NetlinkSocket.over(k, 100);
    assertThatThrownBy(() -> s.request(message(1, 7), Subject.DEST, "add dest"))
        .isInstanceOf(NoSuchServiceException.class);
  }

  @Test
  void request_strayRepliesWithOtherSeqOrPort_areIgnored() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> {
      out.raw(Nl.NLMSG_ERROR, 0, r.seq() - 1, PORT, new byte[] {(byte) 0xef, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      out.raw(TYPE, 0, r.seq(), PORT + 1, new byte[4]);
      out.data(TYPE, 0, new byte[] {5, 0, 0, 0});
      out.ack();
    });
    try (NetlinkSocket s = NetlinkSocket.over(k, 100)) {
      assertThat(s.request(message(1, 1), Subject.OTHER, "op")).hasSize(1);
    }
  }

  @Test
  void request_kernelSilent_failsWithEtimedoutInsteadOfHanging() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> { });
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThatThrownBy(() -> s.request(message(1, 1), Subject.OTHER, "get info"))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT))
        .hasMessageContaining("get info");
  }

  @Test
  void request_malformedDatagram_isProtocolException() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.datagram(new byte[] {99, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0}));
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThatThrownBy(() -> s.request(message(1, 1), Subject.OTHER, "op"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("length 99");
  }

  private static FakeKernel dumper(int items, int intrTimes) {
    int[] runs = {0};
    return new FakeKernel(PORT, (r, out) -> {
      boolean intr = runs[0]++ < intrTimes;
      for (int i = 0; i < items; i++) {
        out.data(TYPE, Nl.NLM_F_MULTI | (intr && i == items / 2 ? Nl.NLM_F_DUMP_INTR : 0),
            new byte[] {(byte) i, 0, 0, 0});
      }
      out.done(0, intr ? Nl.NLM_F_DUMP_INTR : 0);
    });
  }

  @Test
  void dump_multipartAcrossDatagrams_collectsEveryMessageInOrder() throws IOException {
    FakeKernel k = dumper(500, 0);
    k.datagramSize = 256;
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    List<Integer> got = s.dump(message(2, 0), "dump", (b, off, len) -> b.get(off + Nl.NLMSG_HDRLEN) & 0xff);
    assertThat(got).hasSize(500);
    assertThat(got.get(299)).isEqualTo(299 & 0xff);
    assertThat(k.requests.get(0).flags() & Nl.NLM_F_ACK).isZero();
  }

  @Test
  void dump_interruptedTwice_isRunAgainAndReturnsTheConsistentResult() throws IOException {
    FakeKernel k = dumper(10, 2);
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThat(s.dump(message(2, 0), "dump", (b, off, len) -> off)).hasSize(10);
    assertThat(k.requests).hasSize(3);
  }

  @Test
  void dump_alwaysInterrupted_failsWithEagainAfterBoundedAttempts() {
    FakeKernel k = dumper(10, Integer.MAX_VALUE);
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThatThrownBy(() -> s.dump(message(2, 0), "IPVS list services", (b, off, len) -> off))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN))
        .hasMessageContaining("NLM_F_DUMP_INTR");
    assertThat(k.requests).hasSize(NetlinkSocket.DUMP_ATTEMPTS);
  }

  @Test
  void dump_doneCarryingError_throws() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.done(Errno.EINVAL, 0));
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThatThrownBy(() -> s.dump(message(2, 0), "dump", (b, off, len) -> off))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
  }

  @Test
  void batch_oneAckPerRequest_errorsAttributedToTheirRequest() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> {
      int v = valueOf(r);
      if (v % 3 == 0) {
        out.error(Errno.EEXIST, "dup " + v);
      } else {
        out.ack();
      }
    });
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    List<NetlinkSocket.Ack> acks = s.batch(batchOf(10));
    assertThat(acks).hasSize(10);
    assertThat(k.sends).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      assertThat(acks.get(i).ok()).as("ack %d", i).isEqualTo(i % 3 != 0);
    }
    assertThat(acks.get(6).extAck()).isEqualTo("dup 6");
  }

  @Test
  void batch_acksOutOfOrder_stillAttributedBySequenceNumber() throws IOException {
    List<FakeKernel.Request> held = new ArrayList<>();
    FakeKernel k = new FakeKernel(PORT, (r, out) -> held.add(r));
    k.respondWith((r, out) -> {
      held.add(r);
      if (held.size() == 4) {
        for (int i = 3; i >= 0; i--) {
          FakeKernel.Request h = held.get(i);
          out.raw(Nl.NLMSG_ERROR, Nl.NLM_F_CAPPED, h.seq(), PORT, errorPayload(i == 1 ? Errno.ENOENT : 0));
        }
      }
    });
    List<NetlinkSocket.Ack> acks = NetlinkSocket.over(k, 50).batch(batchOf(4));
    assertThat(acks).extracting(NetlinkSocket.Ack::errno).containsExactly(0, Errno.ENOENT, 0, 0);
  }

  private static byte[] errorPayload(int errno) {
    ByteBuffer b = ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder());
    b.putInt(-errno);
    return b.array();
  }

  @Test
  void batch_largerThanAckBudget_isSentInChunks() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.ack());
    k.maxInFlight = 3;
    List<NetlinkSocket.Ack> acks = NetlinkSocket.over(k, 50).batch(batchOf(10));
    assertThat(acks).allMatch(NetlinkSocket.Ack::ok).hasSize(10);
    assertThat(k.sends).isEqualTo(4);
  }

  @Test
  void batch_largerThanSendLimit_isSplitAtMessageBoundaries() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.ack());
    k.maxSend = 100; // each message is 28 bytes: 3 per datagram
    List<NetlinkSocket.Ack> acks = NetlinkSocket.over(k, 50).batch(batchOf(7));
    assertThat(acks).hasSize(7).allMatch(NetlinkSocket.Ack::ok);
    assertThat(k.sends).isEqualTo(3);
  }

  @Test
  void batch_enobufsWhileCollecting_reportsLostAcks() {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> out.ack());
    k.failNextReceive = Errno.ENOBUFS;
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    assertThatThrownBy(() -> s.batch(batchOf(5)))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOBUFS))
        .hasMessageContaining("5 of 5 acks lost");
  }

  @Test
  void receiveEvents_overrun_isReportedToTheSinkNotThrown() throws IOException {
    FakeKernel k = new FakeKernel(PORT, (r, out) -> { });
    NetlinkSocket s = NetlinkSocket.over(k, 50);
    s.joinGroup(5);
    k.failNextReceive = Errno.ENOBUFS;
    boolean[] overrun = {false};
    List<Integer> events = new ArrayList<>();
    NetlinkSocket.EventSink sink = new NetlinkSocket.EventSink() {
      @Override public void event(ByteBuffer b, int off, int len) {
        events.add(b.getShort(off + 4) & 0xffff);
      }

      @Override public void overrun() {
        overrun[0] = true;
      }
    };
    assertThat(s.receiveEvents(sink, 10)).isZero();
    assertThat(overrun[0]).isTrue();
    k.raw(0x14, 0, 0, 0, new byte[8]);
    k.raw(0x15, 0, 0, 0, new byte[8]);
    k.flush();
    assertThat(s.receiveEvents(sink, 10)).isEqualTo(2);
    assertThat(events).containsExactly(0x14, 0x15);
    assertThat(k.groups).containsExactly(5);
  }

  @Test
  void extAck_uncappedAck_findsTlvsAfterTheEchoedRequest() {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
    // header, error -22, echoed 20-byte request, MSG "bad"
    b.putInt(16 + 4 + 20 + 8).putShort((short) 2).putShort((short) Nl.NLM_F_ACK_TLVS).putInt(1).putInt(2);
    b.putInt(-22).putInt(20).putShort((short) 0x20).putShort((short) 5).putInt(1).putInt(2).putInt(0);
    b.putShort((short) 8).putShort((short) 1).put(new byte[] {'b', 'a', 'd', 0});
    assertThat(Framing.extAck(b, 0, 48)).isEqualTo("bad");
  }
}

package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.netlink.internal.NetlinkSocket.Ack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Many requests with one ack each, packed into as few sendmsg calls as the transport's
 * send size and in-flight limit allow, each ack matched to its request by sequence number.
 * See {@link NetlinkSocket#batch}. Internal.
 */
final class NlBatch {
  private NlBatch() {}

  static List<Ack> run(NlChannel ch, ByteBuffer messages) throws IOException {
    NlTransport transport = ch.transport();
    ByteBuffer b = messages.duplicate().order(ByteOrder.nativeOrder());
    List<int[]> spans = Framing.split(b);
    Ack[] acks = new Ack[spans.size()];
    int i = 0;
    while (i < spans.size()) {
      int start = spans.get(i)[0];
      int bytes = 0;
      int j = i;
      int first = ch.nextSeq();
      while (j < spans.size() && j - i < transport.maxInFlight()
          && (j == i || bytes + spans.get(j)[1] <= transport.maxSend())) {
        bytes = spans.get(j)[0] + Nl.align(spans.get(j)[1]) - start;
        ch.stamp(b, spans.get(j)[0], Nl.NLM_F_ACK);
        j++;
      }
      String operation = "netlink batch of " + (j - i) + " requests";
      ch.send(b.duplicate().limit(start + bytes).position(start), () -> operation);
      collectAcks(ch, acks, i, j - i, first, operation);
      i = j;
    }
    return List.of(acks);
  }

  private static void collectAcks(NlChannel ch, Ack[] acks, int base, int count, int firstSeq, String operation)
      throws IOException {
    ByteBuffer rx = ch.rx();
    int port = ch.transport().portId();
    int pending = count;
    for (int d = 0; pending > 0 && d < NetlinkSocket.MAX_DATAGRAMS; d++) {
      try {
        ch.receive(() -> operation);
      } catch (KernelException e) {
        throw KernelException.of(Subject.OTHER, operation + ": " + pending + " of " + count + " acks lost",
            e.errno(), e.extAck());
      }
      for (int p = 0; p < rx.limit(); p = ch.next(p)) {
        int len = rx.getInt(p);
        int k = rx.getInt(p + 8) - firstSeq;
        if (rx.getInt(p + 12) != port || k < 0 || k >= count || ch.type(p) != Nl.NLMSG_ERROR
            || acks[base + k] != null) {
          continue;
        }
        int err = ch.errorOf(p, len);
        acks[base + k] = err == 0 ? Ack.OK : new Ack(err, Framing.extAck(rx, p, len));
        pending--;
      }
    }
    if (pending > 0) {
      throw KernelException.of(Subject.OTHER, operation + ": " + pending + " of " + count + " acks missing after "
          + NetlinkSocket.MAX_DATAGRAMS + " datagrams", io.lbkit.api.kernel.Errno.EPROTO, null);
    }
  }
}

package io.lbkit.netlink.internal;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.netlink.internal.NetlinkSocket.Ack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * An nfnetlink batch as one datagram: the kernel runs the messages between the first
 * (NFNL_MSG_BATCH_BEGIN) and the last (NFNL_MSG_BATCH_END) as one transaction, all or
 * nothing. Every inner message asks for an ack; the kernel reports the errors (and acks)
 * of all inner messages after it has processed the whole batch, or one error for the
 * begin message when it refused the batch as a whole (a stale generation id: ERESTART).
 * See {@link NetlinkSocket#transaction}. Internal.
 */
final class NlTransaction {
  private NlTransaction() {}

  static List<Ack> run(NlChannel ch, ByteBuffer messages, String operation) throws IOException {
    ByteBuffer b = messages.duplicate().order(ByteOrder.nativeOrder());
    List<int[]> spans = Framing.split(b);
    int n = spans.size();
    if (n < 2) {
      throw new IllegalArgumentException("an nfnetlink batch needs a begin and an end message, got " + n);
    }
    int bytes = b.remaining();
    if (bytes > ch.transport().maxSend()) {
      throw KernelException.of(Subject.OTHER, operation + " (" + bytes + " bytes)", Errno.EMSGSIZE,
          "batch larger than the socket's send limit of " + ch.transport().maxSend() + " bytes");
    }
    int first = ch.nextSeq();
    for (int i = 0; i < n; i++) {
      ch.stamp(b, spans.get(i)[0], i == 0 || i == n - 1 ? 0 : Nl.NLM_F_ACK);
    }
    ch.send(b, () -> operation);
    Ack[] acks = new Ack[n];
    int pending = n - 2;
    ByteBuffer rx = ch.rx();
    int port = ch.transport().portId();
    for (int d = 0; pending > 0 && d < NetlinkSocket.MAX_DATAGRAMS; d++) {
      ch.receive(() -> operation);
      for (int p = 0; p < rx.limit(); p = ch.next(p)) {
        int len = rx.getInt(p);
        int k = rx.getInt(p + 8) - first;
        if (rx.getInt(p + 12) != port || k < 0 || k >= n || ch.type(p) != Nl.NLMSG_ERROR || acks[k] != null) {
          continue;
        }
        int err = ch.errorOf(p, len);
        acks[k] = err == 0 ? Ack.OK : new Ack(err, Framing.extAck(rx, p, len));
        if (k == 0 || k == n - 1) {
          if (err != 0) {
            pending = 0; // the batch as a whole was refused: no inner message ran
          }
        } else {
          pending--;
        }
      }
    }
    if (pending > 0) {
      throw KernelException.of(Subject.OTHER, operation + ": " + pending + " of " + (n - 2) + " acks missing",
          Errno.EPROTO, null);
    }
    for (int i = 0; i < n; i++) {
      if (acks[i] == null) {
        acks[i] = Ack.OK;
      }
    }
    return List.of(acks);
  }
}

package io.lbkit.checks.internal;

import io.lbkit.checks.CheckResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One UDP exchange on the {@link NioEngine} loop (DNS_CHECK, UDP_CHECK): a connected
 * datagram socket, so the kernel reports ICMP port unreachable as
 * {@link PortUnreachableException} on the next read. Reports exactly once.
 */
final class DatagramSession implements NioEngine.Handler {
  private final NioEngine engine;
  private final InetSocketAddress remote;
  private final InetSocketAddress bind;
  private final byte[] payload;
  private final Function<ByteBuffer, CheckResult> onReply;
  private final CheckResult onSilence;
  private final long timeoutNanos;
  private final Consumer<CheckResult> done;
  private final ByteBuffer in = ByteBuffer.allocate(2048);
  private DatagramChannel ch;
  private NioEngine.Deadline deadline;
  private boolean finished;

  /**
   * @param onReply verdict on a reply, or null to ignore it and keep waiting (a stray packet)
   * @param onSilence verdict when the deadline passes without reply or ICMP error; null = timeout
   */
  DatagramSession(NioEngine engine, InetSocketAddress remote, InetSocketAddress bind, byte[] payload,
      Function<ByteBuffer, CheckResult> onReply, CheckResult onSilence, long timeoutNanos,
      Consumer<CheckResult> done) {
    this.engine = engine;
    this.remote = remote;
    this.bind = bind;
    this.payload = payload;
    this.onReply = onReply;
    this.onSilence = onSilence;
    this.timeoutNanos = timeoutNanos;
    this.done = done;
  }

  void start() {
    deadline = engine.deadline(timeoutNanos, () -> finish(onSilence != null ? onSilence
        : CheckResult.down("timeout after " + timeoutNanos / 1_000_000 + " ms (no reply)")));
    try {
      ch = DatagramChannel.open(remote.getAddress() instanceof java.net.Inet6Address
          ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
      ch.configureBlocking(false);
      if (bind != null) {
        ch.bind(bind);
      }
      ch.connect(remote);
      engine.register(ch, SelectionKey.OP_READ, this);
      ch.write(ByteBuffer.wrap(payload));
    } catch (PortUnreachableException e) {
      finish(CheckResult.down("ICMP port unreachable"));
    } catch (IOException | RuntimeException e) {
      finish(CheckResult.down("send failed: " + e.getMessage()));
    }
  }

  @Override
  public void onReady(SelectionKey key) {
    for (int i = 0; i < 16 && !finished; i++) {
      in.clear();
      int n;
      try {
        n = ch.read(in);
      } catch (PortUnreachableException e) {
        finish(CheckResult.down("ICMP port unreachable"));
        return;
      } catch (IOException e) {
        finish(CheckResult.down("receive failed: " + e.getMessage()));
        return;
      }
      if (n <= 0) {
        return;
      }
      in.flip();
      CheckResult r = onReply.apply(in);
      if (r != null) {
        finish(r);
      }
    }
  }

  private void finish(CheckResult r) {
    if (finished) {
      return;
    }
    finished = true;
    deadline.cancel();
    if (ch != null) {
      NioEngine.closeQuietly(ch);
    }
    done.accept(r);
  }
}

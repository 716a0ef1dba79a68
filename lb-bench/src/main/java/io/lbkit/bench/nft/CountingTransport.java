package io.lbkit.bench.nft;

import io.lbkit.netlink.internal.NlTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A kernel transport that counts what lbkit sends: datagrams, and the netlink messages in
 * them (an nfnetlink batch counts its begin and end messages too), and the datagrams it
 * receives. Not thread-safe (NftablesIpvs serialises its calls).
 */
final class CountingTransport implements NlTransport {
  private final NlTransport kernel;
  long sent;
  long messages;
  long received;

  CountingTransport(NlTransport kernel) {
    this.kernel = kernel;
  }

  @Override
  public int portId() {
    return kernel.portId();
  }

  @Override
  public int maxSend() {
    return kernel.maxSend();
  }

  @Override
  public int maxInFlight() {
    return kernel.maxInFlight();
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
    for (int p = b.position(); p + 16 <= b.limit(); ) {
      int len = b.getInt(p);
      messages++;
      if (len < 16) {
        break;
      }
      p += len + 3 & ~3;
    }
    sent++;
    kernel.send(datagram);
  }

  @Override
  public boolean receive(ByteBuffer into, int timeoutMillis) throws IOException {
    boolean got = kernel.receive(into, timeoutMillis);
    if (got) {
      received++;
    }
    return got;
  }

  @Override
  public void joinGroup(int group) throws IOException {
    kernel.joinGroup(group);
  }

  @Override
  public void close() throws IOException {
    kernel.close();
  }
}

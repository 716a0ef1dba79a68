package io.lbkit.netlink;

import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.api.net.AddressManager.Change;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.netlink.rtnl.Link;
import io.lbkit.netlink.rtnl.Rtnl;
import io.lbkit.netlink.rtnl.RtnlCodec;
import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The request side of rtnetlink shared by the address and route managers: one
 * NETLINK_ROUTE socket, link lookups, and "already so" errnos turned into
 * {@link Change#ALREADY}. Callers synchronise; the socket is not thread-safe.
 */
final class RtnlClient implements Closeable {
  private final NetlinkSocket socket;
  private final NlWriter writer = new NlWriter(256);

  private RtnlClient(NetlinkSocket socket) {
    this.socket = socket;
  }

  static RtnlClient open(String netns) throws IOException {
    return new RtnlClient(NetlinkSocket.open(Nl.NETLINK_ROUTE, netns));
  }

  static RtnlClient over(NetlinkSocket socket) {
    return new RtnlClient(socket);
  }

  /** The link called {@code name}; KernelException ENODEV naming it if there is none. */
  Link link(String name) throws IOException {
    List<ByteBuffer> r = request(w -> RtnlCodec.getLink(w, name), Subject.OTHER, "rtnetlink get link " + name);
    return single(r, "link " + name);
  }

  /** The link with {@code index}; KernelException ENODEV if there is none. */
  Link link(int index) throws IOException {
    List<ByteBuffer> r = request(w -> RtnlCodec.getLink(w, index), Subject.OTHER, "rtnetlink get link #" + index);
    return single(r, "link #" + index);
  }

  /** Every link. */
  List<Link> links() throws IOException {
    return socket.dump(build(RtnlCodec::dumpLinks), "rtnetlink dump links", (b, off, len) -> {
      int type = b.getShort(off + 4) & 0xffff;
      return type == Rtnl.RTM_NEWLINK ? RtnlCodec.decodeLink(b, off, len) : null;
    });
  }

  /** Runs a dump built by {@code body}. */
  <T> List<T> dump(Consumer<NlWriter> body, String operation, NetlinkSocket.Decoder<T> decoder) throws IOException {
    return socket.dump(build(body), operation, decoder);
  }

  /**
   * Sends a change and reports {@link Change#ALREADY} when the kernel answers {@code already}
   * (EEXIST for an add, EADDRNOTAVAIL or ESRCH for a delete); other errors throw.
   */
  Change change(Consumer<NlWriter> body, String operation, int... already) throws IOException {
    try {
      request(body, Subject.OTHER, operation);
      return Change.DONE;
    } catch (KernelException e) {
      for (int errno : already) {
        if (e.errno() == errno) {
          return Change.ALREADY;
        }
      }
      throw e;
    }
  }

  /** Sends one request and returns its replies. */
  List<ByteBuffer> request(Consumer<NlWriter> body, Subject subject, String operation) throws IOException {
    return socket.request(build(body), subject, operation);
  }

  private ByteBuffer build(Consumer<NlWriter> body) {
    writer.clear();
    body.accept(writer);
    return writer.flip();
  }

  private static Link single(List<ByteBuffer> replies, String what) throws IOException {
    if (replies.size() != 1) {
      throw new ProtocolException("rtnetlink get " + what + ": " + replies.size() + " replies, expected 1");
    }
    ByteBuffer b = replies.get(0);
    return RtnlCodec.decodeLink(b, 0, b.limit());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

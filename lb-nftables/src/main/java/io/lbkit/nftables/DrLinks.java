package io.lbkit.nftables;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.Nl;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.netlink.rtnl.Link;
import io.lbkit.netlink.rtnl.RouteCodec;
import io.lbkit.netlink.rtnl.Rtnl;
import io.lbkit.netlink.rtnl.RtnlCodec;
import io.lbkit.nftables.internal.TableModel;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Which interface a direct-routing real server is reached through (the main routing
 * table's longest match, which must be on-link: DR rewrites no IP header, so the real
 * server has to be a neighbour), and interface indexes, over rtnetlink in the dataplane's
 * network namespace. The real server's MAC is not copied: the {@code fwd} expression takes
 * it from the kernel's neighbour table per packet (resolving it when missing), so it is
 * always the current one. Callers synchronise.
 */
final class DrLinks implements Closeable {
  private static final int MAIN_TABLE = 254;
  private final String netns;
  private NetlinkSocket socket;

  DrLinks(String netns) {
    this.netns = netns;
  }

  private NetlinkSocket socket() throws IOException {
    if (socket == null) {
      socket = NetlinkSocket.open(Nl.NETLINK_ROUTE, netns);
    }
    return socket;
  }

  /** The device of the op's real server when it is a direct-routing one, else null. */
  String deviceFor(IpvsOp op) throws IOException {
    IpvsDest d = op instanceof IpvsOp.AddDest a ? a.dest() : op instanceof IpvsOp.UpdateDest u ? u.dest() : null;
    if (d == null || d.forwarding().method() != Forwarding.Method.DROUTE || d.family() != Family.INET) {
      return null;
    }
    return device(d.key().address(), "nftables " + TableModel.describe(op));
  }

  /** The interface {@code rs} is on (on-link route of the main table), or ENETUNREACH naming it. */
  String device(InetAddress rs, String operation) throws IOException {
    NlWriter w = new NlWriter(128);
    RouteCodec.dumpRoutes(w, Family.of(rs));
    List<RouteCodec.RouteEntry> routes = socket().dump(w.flip(), "rtnetlink dump routes", (b, off, len) ->
        (b.getShort(off + 4) & 0xffff) == Rtnl.RTM_NEWROUTE ? RouteCodec.decode(b, off, len) : null);
    RouteCodec.RouteEntry best = null;
    for (RouteCodec.RouteEntry r : routes) {
      if (r.table() == MAIN_TABLE && r.type() == Rtnl.RTN_UNICAST && r.oif() > 0 && contains(r, rs)
          && (best == null || r.prefixLength() > best.prefixLength())) {
        best = r;
      }
    }
    if (best == null) {
      throw KernelException.of(Subject.DEST, operation, Errno.ENETUNREACH, "no route to real server "
          + Inet.format(rs) + ": direct routing needs it on a network of this director");
    }
    if (best.gateway() != null) {
      throw KernelException.of(Subject.DEST, operation, Errno.ENETUNREACH, "real server " + Inet.format(rs)
          + " is reached via " + Inet.format(best.gateway()) + ": direct routing needs it on a directly attached"
          + " network");
    }
    NlWriter l = new NlWriter(128);
    RtnlCodec.getLink(l, best.oif());
    List<ByteBuffer> r = socket().request(l.flip(), Subject.OTHER, "rtnetlink get link #" + best.oif());
    Link link = RtnlCodec.decodeLink(r.get(0), 0, r.get(0).limit());
    return link.name();
  }

  /** The index of interface {@code name} (ENODEV naming it if there is none). */
  int index(String name) throws IOException {
    NlWriter w = new NlWriter(128);
    RtnlCodec.getLink(w, name);
    List<ByteBuffer> r = socket().request(w.flip(), Subject.OTHER, "rtnetlink get link " + name);
    return RtnlCodec.decodeLink(r.get(0), 0, r.get(0).limit()).index();
  }

  private static boolean contains(RouteCodec.RouteEntry r, InetAddress a) {
    byte[] n = r.destination().getAddress();
    byte[] x = a.getAddress();
    if (n.length != x.length) {
      return false;
    }
    for (int i = 0; i < n.length; i++) {
      int keep = Math.max(0, Math.min(8, r.prefixLength() - 8 * i));
      int mask = (0xff << (8 - keep)) & 0xff;
      if ((n[i] & mask) != (x[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
  }
}

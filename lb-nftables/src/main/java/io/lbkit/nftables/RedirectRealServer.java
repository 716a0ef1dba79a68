package io.lbkit.nftables;

import io.lbkit.api.Family;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec;
import io.lbkit.nftables.internal.NftDecoder;
import io.lbkit.nftables.internal.NftDecoder.DumpedElem;
import io.lbkit.nftables.internal.Nft;
import io.lbkit.nftables.internal.RedirectTable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The real-server side of LVS-DR the way the seed did it: instead of the VIP on {@code lo}
 * with ARP sysctls (lb-api's {@code DirectRoutingRealServer}), a nat PREROUTING
 * {@code redirect} of the VIP's packets to this host, as an nftables rule written over
 * netlink. The VIP is on no interface, so the host never answers ARP for it and no sysctl
 * changes; conntrack turns the replies' source back into the VIP. lbkit owns the table
 * {@code inet lbkit_rs} (and touches no other):
 * <pre>
 * table inet lbkit_rs {
 *   set vips4 { type ipv4_addr; elements = { 192.168.0.200 } }
 *   set vips6 { type ipv6_addr; }
 *   chain prerouting {
 *     type nat hook prerouting priority dstnat; policy accept;
 *     ip daddr @vips4 redirect
 *     ip6 daddr @vips6 redirect
 *   }
 * }
 * </pre>
 * {@link Prepared#undo()} removes the VIPs that {@code prepare} added, and the table when
 * {@code prepare} created it.
 *
 * <pre>{@code
 * try (RedirectRealServer.Prepared p = RedirectRealServer.prepare(null, List.of(vip))) {
 *   ... serve ...
 * }
 * }</pre>
 */
public final class RedirectRealServer {
  private RedirectRealServer() {}

  /** What prepare changed, to undo it. */
  public static final class Prepared implements AutoCloseable {
    private final String netns;
    private final boolean createdTable;
    private final List<InetAddress> added;
    private boolean undone;

    private Prepared(String netns, boolean createdTable, List<InetAddress> added) {
      this.netns = netns;
      this.createdTable = createdTable;
      this.added = added;
    }

    /** The VIPs prepare added (those already redirected are not listed and stay). */
    public List<InetAddress> addedVips() {
      return List.copyOf(added);
    }

    /** Removes the VIPs prepare added, and the table if prepare created it; idempotent. */
    public synchronized void undo() throws IOException {
      if (undone) {
        return;
      }
      undone = true;
      try (NetlinkSocket s = NetlinkSocket.open(NftablesIpvs.NETLINK_NETFILTER, netns)) {
        NlWriter w = new NlWriter(4096);
        NftCodec.batchBegin(w, 0);
        if (createdTable) {
          NftCodec.delTable(w, Nft.NFPROTO_INET, RedirectTable.TABLE);
        } else {
          for (Family f : Family.values()) {
            List<InetAddress> mine = added.stream().filter(a -> Family.of(a) == f).toList();
            if (!mine.isEmpty()) {
              NftCodec.delElems(w, Nft.NFPROTO_INET, RedirectTable.TABLE, RedirectTable.set(f),
                  RedirectTable.elems(mine));
            }
          }
        }
        NftCodec.batchEnd(w);
        commit(s, w, "nftables undo redirect of " + describe(added));
      }
    }

    /** Same as {@link #undo()}. */
    @Override
    public void close() throws IOException {
      undo();
    }
  }

  /**
   * Redirects the VIPs' packets to this host (the network namespace {@code netns}, null:
   * the current one).
   *
   * @throws IOException if the kernel refuses (the error names the operation); nothing is changed then
   */
  public static Prepared prepare(String netns, List<InetAddress> vips) throws IOException {
    if (vips.isEmpty()) {
      throw new IllegalArgumentException("no VIP to prepare for");
    }
    try (NetlinkSocket s = NetlinkSocket.open(NftablesIpvs.NETLINK_NETFILTER, netns)) {
      List<byte[]> present = new ArrayList<>();
      boolean exists = true;
      for (Family f : Family.values()) {
        List<DumpedElem> e = elems(s, RedirectTable.set(f));
        if (e == null) {
          exists = false;
        } else {
          e.forEach(x -> present.add(x.key()));
        }
      }
      List<InetAddress> added = new ArrayList<>();
      for (InetAddress v : vips) {
        if (present.stream().noneMatch(p -> Arrays.equals(p, v.getAddress())) && !added.contains(v)) {
          added.add(v);
        }
      }
      NlWriter w = new NlWriter(4096);
      NftCodec.batchBegin(w, 0);
      if (!exists) {
        RedirectTable.create(w);
      }
      for (Family f : Family.values()) {
        List<InetAddress> mine = added.stream().filter(a -> Family.of(a) == f).toList();
        if (!mine.isEmpty()) {
          NftCodec.newElems(w, Nft.NFPROTO_INET, RedirectTable.TABLE, RedirectTable.set(f), 0,
              RedirectTable.elems(mine));
        }
      }
      NftCodec.batchEnd(w);
      commit(s, w, "nftables redirect " + describe(vips) + " to this host (table inet " + RedirectTable.TABLE + ")");
      return new Prepared(netns, !exists, added);
    }
  }

  private static List<DumpedElem> elems(NetlinkSocket s, String set) throws IOException {
    NlWriter w = new NlWriter(128);
    NftCodec.dumpElems(w, Nft.NFPROTO_INET, RedirectTable.TABLE, set);
    try {
      List<DumpedElem> all = new ArrayList<>();
      s.dump(w.flip(), "nftables list set inet " + RedirectTable.TABLE + " " + set, NftDecoder::elems)
          .forEach(all::addAll);
      return all;
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  private static void commit(NetlinkSocket s, NlWriter w, String operation) throws IOException {
    for (NetlinkSocket.Ack a : s.transaction(w.flip(), operation)) {
      if (!a.ok()) {
        throw KernelException.of(Subject.OTHER, operation, a.errno(), a.extAck());
      }
    }
  }

  private static String describe(List<InetAddress> vips) {
    return String.join(", ", vips.stream().map(Inet::format).toList());
  }
}

package io.lbkit.nftables;

import io.lbkit.api.Family;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.CounterDecoder;
import io.lbkit.nftables.internal.CounterDecoder.Counted;
import io.lbkit.nftables.internal.LbStats;
import io.lbkit.nftables.internal.LbTable;
import io.lbkit.nftables.internal.NftCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the per-real-server counters of lbkit's table ({@code stats4}, {@code stats6}: see
 * {@link LbStats}) and puts them into the rows {@link TableReader} read, as IPVS reports
 * them: each real server's packets and bytes in (client to real server) and out, and each
 * service's as the sum of its real servers' (so a removed real server's traffic leaves its
 * service's sum, unlike IPVS's). Connection counts and rates are not kept: 0.
 */
final class StatsReader {
  private StatsReader() {}

  /** The counters by their set key (hex), both families; empty when the sets do not exist. */
  static Map<String, long[]> read(NetlinkSocket socket) throws IOException {
    Map<String, long[]> out = new HashMap<>();
    for (Family f : Family.values()) {
      NlWriter w = new NlWriter(128);
      NftCodec.dumpElems(w, LbTable.FAMILY, LbTable.TABLE, LbStats.set(f));
      List<List<Counted>> parts;
      try {
        parts = socket.dump(w.flip(), "nftables list set " + LbStats.set(f), CounterDecoder::elems);
      } catch (KernelException e) {
        if (e.errno() == Errno.ENOENT) {
          continue;
        }
        throw e;
      }
      for (List<Counted> p : parts) {
        for (Counted c : p) {
          out.put(java.util.HexFormat.of().formatHex(c.key()), new long[] {c.packets(), c.bytes()});
        }
      }
    }
    return out;
  }

  /** The rows with their counters filled in. */
  static List<ServiceSnapshot> withCounters(List<ServiceSnapshot> rows, Map<String, long[]> counters) {
    if (counters.isEmpty()) {
      return rows;
    }
    List<ServiceSnapshot> out = new ArrayList<>(rows.size());
    for (ServiceSnapshot s : rows) {
      if (!(s.key() instanceof ServiceKey.Inet k)) {
        out.add(s);
        continue;
      }
      long[] sum = new long[4];
      List<DestSnapshot> dests = new ArrayList<>(s.dests().size());
      for (DestSnapshot d : s.dests()) {
        long[] in = get(counters, k, d.dest().key(), LbStats.ORIGINAL);
        long[] back = get(counters, k, d.dest().key(), LbStats.REPLY);
        long[] v = {in[0], back[0], in[1], back[1]};
        for (int i = 0; i < 4; i++) {
          sum[i] += v[i];
        }
        dests.add(new DestSnapshot(d.dest(), d.activeConns(), d.inactiveConns(), d.persistentConns(), stats(v)));
      }
      out.add(new ServiceSnapshot(s.service(), stats(sum), dests));
    }
    return out;
  }

  private static long[] get(Map<String, long[]> counters, ServiceKey.Inet k, RealServerKey r, int dir) {
    long[] c = counters.get(java.util.HexFormat.of().formatHex(LbStats.key(k, r, dir)));
    return c != null ? c : new long[2];
  }

  /** In packets, out packets, in bytes, out bytes. */
  private static IpvsStats stats(long[] v) {
    return Arrays.stream(v).allMatch(x -> x == 0) ? IpvsStats.ZERO
        : new IpvsStats(0, v[0], v[1], v[2], v[3], 0, 0, 0, 0, 0);
  }
}

package io.lbkit.nftables;

import io.lbkit.api.Family;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsStats;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvs.ServiceSnapshot.DestSnapshot;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.CounterDecoder;
import io.lbkit.nftables.internal.LbStats;
import io.lbkit.nftables.internal.LbTable;
import io.lbkit.nftables.internal.NftCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads the per-real-server counters of lbkit's table ({@code stats4}, {@code stats6}: see
 * {@link LbStats}) and puts them into the rows {@link TableReader} read, as IPVS reports
 * them: each real server's packets and bytes in (client to real server) and out, and each
 * service's as the sum of its real servers' (so a removed real server's traffic leaves its
 * service's sum, unlike IPVS's). Connection counts and rates are not kept: 0.
 *
 * <p>One reader per version of the table (its rows): each {@link #read} dumps the two sets
 * from the kernel (only their elements, which carry the counters) and looks each element's
 * key up in a table made once from the rows, without copying keys or allocating per
 * element; a service whose counters did not change since the last read is the last read's
 * object, and the list itself when none did. Not thread-safe (the owner serialises reads).
 */
final class StatsReader {
  private final List<ServiceSnapshot> rows;
  private final CounterKeys keys;
  /** Per row: its destinations' counter slots (original, reply), or null (no counters). */
  private final int[][] slots;
  private long[] scratch = new long[3 * 256];
  private long[] last;
  private List<ServiceSnapshot> lastRead;

  StatsReader(List<ServiceSnapshot> rows) {
    this.rows = List.copyOf(rows);
    int dests = 0;
    for (ServiceSnapshot s : rows) {
      dests += s.dests().size();
    }
    keys = new CounterKeys(2 * dests);
    slots = new int[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      ServiceSnapshot s = rows.get(i);
      if (!(s.key() instanceof ServiceKey.Inet k)) {
        continue;
      }
      int[] sl = new int[2 * s.dests().size()];
      for (int d = 0; d < s.dests().size(); d++) {
        sl[2 * d] = keys.add(LbStats.key(k, s.dests().get(d).dest().key(), LbStats.ORIGINAL));
        sl[2 * d + 1] = keys.add(LbStats.key(k, s.dests().get(d).dest().key(), LbStats.REPLY));
      }
      slots[i] = sl;
    }
  }

  /** The rows with their counters as the kernel has them now (one dump per family). */
  List<ServiceSnapshot> read(NetlinkSocket socket) throws IOException {
    long[] c = new long[2 * keys.size()]; // packets, bytes per slot
    keys.begin();
    for (Family f : Family.values()) {
      NlWriter w = new NlWriter(128);
      NftCodec.dumpElems(w, LbTable.FAMILY, LbTable.TABLE, LbStats.set(f));
      List<long[]> parts;
      try {
        parts = socket.dump(w.flip(), "nftables list set " + LbStats.set(f), this::slotsOf);
      } catch (KernelException e) {
        if (e.errno() == Errno.ENOENT) {
          continue;
        }
        throw e;
      }
      for (long[] p : parts) { // slot, packets, bytes
        for (int i = 0; i < p.length; i += 3) {
          c[2 * (int) p[i]] = p[i + 1];
          c[2 * (int) p[i] + 1] = p[i + 2];
        }
      }
    }
    keys.end();
    if (lastRead != null && Arrays.equals(c, last)) {
      return lastRead;
    }
    List<ServiceSnapshot> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      int[] sl = slots[i];
      out.add(sl == null ? rows.get(i) : lastRead != null && same(sl, c, last) ? lastRead.get(i)
          : withCounters(rows.get(i), sl, c));
    }
    last = c;
    lastRead = Collections.unmodifiableList(out);
    return lastRead;
  }

  /** One dump message's known elements as (slot, packets, bytes) triples; the keys are not copied. */
  private long[] slotsOf(ByteBuffer b, int off, int len) throws java.net.ProtocolException {
    int[] n = {0};
    CounterDecoder.walk(b, off, len, (buf, k, kl, packets, bytes) -> {
      int slot = keys.next(buf, k, kl);
      if (slot < 0) {
        return; // not a real server of the rows (a table changed meanwhile reads again by generation)
      }
      if (n[0] + 3 > scratch.length) {
        scratch = Arrays.copyOf(scratch, 2 * scratch.length);
      }
      scratch[n[0]++] = slot;
      scratch[n[0]++] = packets;
      scratch[n[0]++] = bytes;
    });
    return Arrays.copyOf(scratch, n[0]);
  }

  private static boolean same(int[] sl, long[] a, long[] b) {
    for (int s : sl) {
      if (a[2 * s] != b[2 * s] || a[2 * s + 1] != b[2 * s + 1]) {
        return false;
      }
    }
    return true;
  }

  /** A row with its destinations' counters and their sum. */
  private static ServiceSnapshot withCounters(ServiceSnapshot s, int[] sl, long[] c) {
    long[] sum = new long[4];
    List<DestSnapshot> dests = new ArrayList<>(s.dests().size());
    for (int d = 0; d < s.dests().size(); d++) {
      DestSnapshot ds = s.dests().get(d);
      int in = 2 * sl[2 * d];
      int back = 2 * sl[2 * d + 1];
      long[] v = {c[in], c[back], c[in + 1], c[back + 1]}; // in packets, out packets, in bytes, out bytes
      for (int i = 0; i < 4; i++) {
        sum[i] += v[i];
      }
      dests.add(new DestSnapshot(ds.dest(), ds.activeConns(), ds.inactiveConns(), ds.persistentConns(), stats(v)));
    }
    return new ServiceSnapshot(s.service(), stats(sum), dests);
  }

  /** In packets, out packets, in bytes, out bytes. */
  private static IpvsStats stats(long[] v) {
    return v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0 ? IpvsStats.ZERO
        : new IpvsStats(0, v[0], v[1], v[2], v[3], 0, 0, 0, 0, 0);
  }
}

package io.lbkit.nftables;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.DrTable;
import io.lbkit.nftables.internal.NftCodec;
import io.lbkit.nftables.internal.NftDecoder;
import io.lbkit.nftables.internal.NftDecoder.DumpedElem;
import io.lbkit.nftables.internal.NftDecoder.DumpedRule;
import io.lbkit.nftables.internal.TableModel;
import io.lbkit.nftables.internal.TableModel.Svc;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the direct-routing services of table {@code netdev lbkit}: dr4 gives the services,
 * drdests4 their real servers and weights, the first rule's comment ({@code rr via eth0})
 * the scheduler and interface. A service whose rules are not the ones lbkit writes for its
 * scheduler and slots, or whose interface's ingress chain is not lbkit's one rule (e.g. one
 * written before its {@code meta pkttype host} match), reads with scheduler {@code none}, so
 * the Director rewrites it (and the chain). No table: no services.
 */
final class DrReader {
  private DrReader() {}

  static Map<ServiceKey.Inet, Svc> read(NetlinkSocket socket) throws IOException {
    NlWriter w = new NlWriter(128);
    NftCodec.dumpRules(w, DrTable.FAMILY, DrTable.TABLE);
    List<DumpedRule> rules;
    try {
      rules = socket.dump(w.flip(), "nftables list rules of table netdev " + DrTable.TABLE, NftDecoder::rule);
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return Map.of();
      }
      throw e;
    }
    Map<String, List<DumpedRule>> byChain = new HashMap<>();
    for (DumpedRule r : rules) {
      byChain.computeIfAbsent(r.chain(), c -> new ArrayList<>()).add(r);
    }
    Map<ServiceKey.Inet, Svc> out = new LinkedHashMap<>();
    List<DumpedElem> svcs = elems(socket, DrTable.SERVICES);
    List<DumpedElem> dests = elems(socket, DrTable.DESTS);
    for (DumpedElem e : svcs) {
      ServiceKey.Inet k = TableReader.serviceKey(e.key(), 0, 4);
      List<DumpedRule> r = byChain.getOrDefault(DrTable.chain(k), List.of());
      String comment = r.isEmpty() || r.get(0).comment() == null ? "none via ?" : r.get(0).comment();
      int via = comment.indexOf(" via ");
      String sched = via < 0 ? "none" : comment.substring(0, via);
      String[] rest = via < 0 ? new String[] {"?"} : comment.substring(via + 5).split(" ");
      int persistence = 0;
      if (rest.length == 3 && rest[1].equals("persistent") && rest[2].matches("[1-9][0-9]{0,8}")) {
        persistence = Integer.parseInt(rest[2]);
      }
      out.put(k, new Svc(TableModel.SCHEDULERS.contains(sched) ? sched : "none", new TreeMap<>(), rest[0],
          persistence));
    }
    for (DumpedElem e : dests) {
      ServiceKey.Inet k = TableReader.serviceKey(e.key(), 0, 4);
      Svc s = out.get(k);
      if (s != null && e.data() != null && e.data().length == 4) {
        InetAddress ra = TableReader.addr(e.key(), 12, 4);
        s.weights().put(new RealServerKey(ra, TableReader.port(e.key(), 16)),
            ByteBuffer.wrap(e.data()).order(ByteOrder.nativeOrder()).getInt());
      }
    }
    Map<ServiceKey.Inet, Svc> checked = new LinkedHashMap<>();
    out.forEach((k, s) -> {
      List<String> want = DrTable.expectedSummaries(k, s.scheduler(), s.slots().size(), s.persistence());
      List<String> got = byChain.getOrDefault(DrTable.chain(k), List.of()).stream().map(DumpedRule::summary).toList();
      List<String> ingress = byChain.getOrDefault(DrTable.ingressChain(s.dev()), List.of()).stream()
          .map(DumpedRule::summary).toList();
      boolean same = got.equals(want) && ingress.equals(List.of(DrTable.DISPATCH_SUMMARY));
      checked.put(k, same ? s : new Svc("none", s.weights(), s.dev(), s.persistence()));
    });
    return checked;
  }

  private static List<DumpedElem> elems(NetlinkSocket socket, String set) throws IOException {
    NlWriter w = new NlWriter(128);
    NftCodec.dumpElems(w, DrTable.FAMILY, DrTable.TABLE, set);
    try {
      List<List<DumpedElem>> parts = socket.dump(w.flip(), "nftables list map netdev " + DrTable.TABLE + " " + set,
          NftDecoder::elems);
      List<DumpedElem> all = new ArrayList<>();
      parts.forEach(all::addAll);
      return all;
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return List.of();
      }
      throw e;
    }
  }
}

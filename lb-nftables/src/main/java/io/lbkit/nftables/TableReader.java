package io.lbkit.nftables;

import io.lbkit.api.Family;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;
import io.lbkit.api.kernel.KernelException.Subject;
import io.lbkit.netlink.internal.NetlinkSocket;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.LbTable;
import io.lbkit.nftables.internal.NftCodec;
import io.lbkit.nftables.internal.NftDecoder;
import io.lbkit.nftables.internal.NftDecoder.DumpedElem;
import io.lbkit.nftables.internal.NftDecoder.DumpedRule;
import io.lbkit.nftables.internal.TableModel;
import io.lbkit.nftables.internal.TableModel.Svc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads lbkit's table back into a {@link TableModel}: the generation id, the rules of the
 * table (one dump), and the services and dests maps (one dump each per family), under one
 * generation (re-read when it moved meanwhile). A service whose rule is not the one lbkit
 * writes for its scheduler and slots reads with scheduler {@code none}, so the Director's
 * diff rewrites it.
 */
final class TableReader {
  static final int ATTEMPTS = 5;

  /** What was read: the model and its generation, and whether the fixed part is intact. */
  record Read(TableModel model, int gen, boolean skeletonOk) {}

  private final NetlinkSocket socket;

  TableReader(NetlinkSocket socket) {
    this.socket = socket;
  }

  int gen() throws IOException {
    NlWriter w = new NlWriter(64);
    NftCodec.getGen(w);
    List<ByteBuffer> r = socket.request(w.flip(), Subject.OTHER, "nftables get generation");
    if (r.isEmpty()) {
      throw KernelException.of(Subject.OTHER, "nftables get generation", Errno.EPROTO, "no reply");
    }
    return NftDecoder.genId(r.get(0), 0, r.get(0).limit());
  }

  Read read() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int g = gen();
      Read r = readOnce(g);
      if (gen() == g) {
        return r;
      }
    }
    throw KernelException.of(Subject.OTHER, "nftables read table " + LbTable.TABLE, Errno.EAGAIN,
        "the ruleset changed during " + ATTEMPTS + " reads in a row");
  }

  private Read readOnce(int g) throws IOException {
    NlWriter w = new NlWriter(128);
    NftCodec.dumpRules(w, LbTable.FAMILY, LbTable.TABLE);
    List<DumpedRule> rules;
    try {
      rules = socket.dump(w.flip(), "nftables list rules of table inet " + LbTable.TABLE, NftDecoder::rule);
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return new Read(new TableModel(Map.of()), g, false);
      }
      throw e;
    }
    Map<String, List<DumpedRule>> byChain = new HashMap<>();
    for (DumpedRule r : rules) {
      byChain.computeIfAbsent(r.chain(), c -> new ArrayList<>()).add(r);
    }
    boolean ok = true;
    for (String base : LbTable.BASE_CHAINS) {
      List<String> s = byChain.getOrDefault(base, List.of()).stream().map(DumpedRule::summary).toList();
      ok &= s.equals(List.of(dispatch("services4"), dispatch("services6")));
    }
    for (String chain : io.lbkit.nftables.internal.LbStats.CHAINS) {
      List<String> s = byChain.getOrDefault(chain, List.of()).stream().map(DumpedRule::summary).toList();
      ok &= s.equals(io.lbkit.nftables.internal.LbStats.summaries());
    }
    Map<ServiceKey.Inet, Svc> out = new LinkedHashMap<>();
    for (Family f : Family.values()) {
      List<DumpedElem> svcs = elems(LbTable.servicesMap(f));
      List<DumpedElem> dests = elems(LbTable.destsMap(f));
      if (svcs == null || dests == null) {
        ok = false;
        continue;
      }
      int a = f == Family.INET ? 4 : 16;
      for (DumpedElem e : svcs) {
        ServiceKey.Inet k = serviceKey(e.key(), 0, a);
        out.put(k, RuleComment.svc(byChain.get(LbTable.chain(k))));
      }
      for (DumpedElem e : dests) {
        ServiceKey.Inet k = serviceKey(e.key(), 0, a);
        Svc s = out.get(k);
        if (s != null && e.data() != null && e.data().length == 4) {
          InetAddress ra = addr(e.key(), a + 8, a);
          int port = port(e.key(), a + 8 + a);
          s.weights().put(new RealServerKey(ra, port), ByteBuffer.wrap(e.data()).order(ByteOrder.nativeOrder())
              .getInt());
        }
      }
    }
    // a service whose slots no longer match its rule's modulus is drift too
    Map<ServiceKey.Inet, Svc> checked = new LinkedHashMap<>();
    out.forEach((k, s) -> {
      String want = NftDecoder.expectedSummary(s.scheduler(), s.flags(), s.slots().size(), LbTable.slotsMap(k));
      List<DumpedRule> r = byChain.get(LbTable.chain(k));
      boolean same = r != null && r.size() == 1 && r.get(0).summary().equals(want);
      checked.put(k, same ? s : new Svc("none", s.weights()));
    });
    checked.putAll(DrReader.read(socket)); // direct-routing services: table netdev lbkit
    return new Read(new TableModel(checked), g, ok);
  }

  static String dispatch(String map) {
    return "meta cmp payload meta payload lookup:" + map;
  }

  private List<DumpedElem> elems(String set) throws IOException {
    NlWriter w = new NlWriter(128);
    NftCodec.dumpElems(w, LbTable.FAMILY, LbTable.TABLE, set);
    try {
      List<List<DumpedElem>> parts = socket.dump(w.flip(), "nftables list map " + set, NftDecoder::elems);
      List<DumpedElem> all = new ArrayList<>();
      parts.forEach(all::addAll);
      return all;
    } catch (KernelException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  static ServiceKey.Inet serviceKey(byte[] key, int at, int addrLen) throws ProtocolException {
    if (key.length < at + addrLen + 8) {
      throw new ProtocolException("services map key of " + key.length + " bytes, need " + (at + addrLen + 8));
    }
    Protocol p;
    try {
      p = Protocol.ofNumber(key[at + addrLen] & 0xff);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("services map key with " + e.getMessage());
    }
    return (ServiceKey.Inet) ServiceKey.of(p, addr(key, at, addrLen), port(key, at + addrLen + 4));
  }

  static InetAddress addr(byte[] key, int at, int len) throws ProtocolException {
    if (key.length < at + len) {
      throw new ProtocolException("map key of " + key.length + " bytes has no address at " + at);
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(key, at, at + len));
    } catch (java.net.UnknownHostException e) {
      throw new ProtocolException("bad address length " + len);
    }
  }

  static int port(byte[] key, int at) throws ProtocolException {
    if (key.length < at + 2) {
      throw new ProtocolException("map key of " + key.length + " bytes has no port at " + at);
    }
    return (key[at] & 0xff) << 8 | key[at + 1] & 0xff;
  }
}

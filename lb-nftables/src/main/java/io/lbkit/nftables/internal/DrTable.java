package io.lbkit.nftables.internal;

import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of lbkit's direct-routing table {@code netdev lbkit} (see the package
 * documentation of {@code io.lbkit.nftables}): object names, the fixed part per director
 * interface, and one service's maps and rules. Only IPv4 services (a real server's id is its
 * IPv4 address, carried in the packet mark). Pure code. Internal.
 */
public final class DrTable {
  private DrTable() {}

  /** The table's family. */
  public static final int FAMILY = DrCodec.NFPROTO_NETDEV;
  /** The table's name (in family netdev: it does not clash with {@code inet lbkit}). */
  public static final String TABLE = "lbkit";
  /** The verdict map from VIP . protocol . port to the service's chain. */
  public static final String SERVICES = "dr4";
  /** The map from VIP . protocol . port . real server . port to its weight (every real server). */
  public static final String DESTS = "drdests4";
  /** How long a connection's entry in a flows map lives after its last packet (IPVS's TCP timeout). */
  public static final long FLOW_TIMEOUT_MS = 900_000;
  /** The same for UDP (IPVS's UDP timeout). */
  public static final long UDP_FLOW_TIMEOUT_MS = 300_000;
  /**
   * The most entries a flows map holds: connections (or persistent clients) seen within
   * its timeout. Without a size the kernel caps a map that packets fill at 65535; past the
   * cap a new connection finds no entry and falls through to the director's own stack.
   */
  public static final int FLOWS_SIZE = 1 << 20;
  /** The ingress chains' priority (nft's {@code filter}). */
  public static final int PRIORITY = 0;
  /** nft's description of dr4 (as services4) and drdests4 (as dests4), kept verbatim. */
  static final byte[] FLOWS_UDATA = Udata.MARK_MAP;
  /** nft's description of a persistent flows map ({@code type ipv4_addr : mark}). */
  private static final byte[] PERSIST_UDATA = java.util.HexFormat.of().parseHex("000402000000010401000000060400000000");
  private static final byte[] SLOTS_UDATA = java.util.HexFormat.of().parseHex(
      "000401000000010401000000031a0004170000000112000400000000010402000000020400000000040e000409000000010600"
      + "0403000000060400000000");
  private static final byte[] REALS_UDATA = java.util.HexFormat.of().parseHex(
      "000401000000010402000000030e00040900000001060004030000000414000407000000010c00040c00000001040c000000"
      + "060400000000");

  /** The base chain on {@code device}'s ingress hook. */
  public static String ingressChain(String device) {
    return "ingress_" + device;
  }

  /** The service's chain. */
  public static String chain(ServiceKey.Inet k) {
    return LbTable.chain(k);
  }

  /** The service's slots map (scheduler slot to real-server id). */
  public static String slotsMap(ServiceKey.Inet k) {
    return LbTable.slotsMap(k);
  }

  /** The service's real servers that may receive packets (id to address): weight 0 included. */
  public static String realsMap(ServiceKey.Inet k) {
    return "reals_" + LbTable.id(k);
  }

  /** The service's connections: client address . port to real-server id, timing out. */
  public static String flowsMap(ServiceKey.Inet k) {
    return "flows_" + LbTable.id(k);
  }

  /** A real server's id: its IPv4 address as a number (the mark value). */
  public static byte[] id(RealServerKey r) {
    return LbTable.u32(ByteBuffer.wrap(r.address().getAddress()).getInt());
  }

  /**
   * Creates (or repairs) the table, its two maps and the ingress chain of {@code device}
   * with its one rule; idempotent.
   */
  public static void skeleton(NlWriter w, String device) {
    NftCodec.newTable(w, FAMILY, TABLE);
    int t = Nft.TYPE_INET_PROTO;
    int s = Nft.TYPE_INET_SERVICE;
    NftCodec.newMap(w, FAMILY, TABLE, SERVICES, Nft.concat(Nft.TYPE_IPADDR, t, s), 12, Nft.DATA_VERDICT_TYPE, 0, 1,
        Udata.VERDICT_MAP);
    NftCodec.newMap(w, FAMILY, TABLE, DESTS, Nft.concat(Nft.TYPE_IPADDR, t, s, Nft.TYPE_IPADDR, s), 20,
        Nft.TYPE_MARK, 4, 2, Udata.MARK_MAP);
    DrCodec.newIngressChain(w, TABLE, ingressChain(device), device, PRIORITY);
    NftCodec.flushChain(w, FAMILY, TABLE, ingressChain(device));
    NftCodec.newRule(w, FAMILY, TABLE, ingressChain(device), x -> dispatch(x, 0), null);
  }

  /**
   * What {@link NftDecoder#rule} reads from the ingress chain's one rule ({@link #dispatch}).
   * A chain written by lbkit before the {@code meta pkttype host} match reads otherwise, so
   * its services read with scheduler {@code none} and the Director rewrites them.
   */
  public static final String DISPATCH_SUMMARY = "meta:pkttype cmp meta cmp payload meta payload lookup:" + SERVICES;

  /**
   * {@code meta pkttype host ip daddr . meta l4proto . th dport vmap @dr4}: a frame addressed
   * to this host's MAC goes to its service's chain; one flooded by a bridge to every port,
   * broadcast or multicast is left to the stack, which drops it (as IPVS never sees it).
   */
  static void dispatch(NlWriter x, int setId) {
    DrCodec.hostOnly(x);
    DrCodec.ipv4Only(x);
    NftExpr.payload(x, Nft.REG_1, Nft.PAYLOAD_NETWORK, 16, 4);
    NftExpr.meta(x, Nft.META_L4PROTO, Nft.REG32_01);
    NftExpr.payload(x, Nft.REG32_02, Nft.PAYLOAD_TRANSPORT, 2, 2);
    NftExpr.lookup(x, Nft.REG_1, Nft.REG_VERDICT, SERVICES, setId);
  }

  /** The service's three maps, empty (no persistence). */
  public static void newMaps(NlWriter w, ServiceKey.Inet k, int setId) {
    newMaps(w, k, setId, 0);
  }

  /**
   * The service's three maps, empty; with {@code persistence} seconds the flows map is keyed
   * by the client address alone and its entries live that long after the client's last packet.
   */
  public static void newMaps(NlWriter w, ServiceKey.Inet k, int setId, int persistence) {
    NftCodec.newMap(w, FAMILY, TABLE, slotsMap(k), Nft.TYPE_INTEGER, 4, Nft.TYPE_MARK, 4, setId, SLOTS_UDATA);
    NftCodec.newMap(w, FAMILY, TABLE, realsMap(k), Nft.TYPE_MARK, 4, Nft.TYPE_IPADDR, 4, setId + 1, REALS_UDATA);
    long timeout = persistence > 0 ? persistence * 1000L
        : k.protocol() == Protocol.UDP ? UDP_FLOW_TIMEOUT_MS : FLOW_TIMEOUT_MS;
    DrCodec.newTimeoutMap(w, TABLE, flowsMap(k), persistence > 0 ? Nft.TYPE_IPADDR
        : Nft.concat(Nft.TYPE_IPADDR, Nft.TYPE_INET_SERVICE), persistence > 0 ? 4 : 8, Nft.TYPE_MARK, 4, setId + 2,
        FLOWS_SIZE, timeout, persistence > 0 ? PERSIST_UDATA : FLOWS_UDATA);
  }

  /** The comment of a service's first rule: scheduler, device, persistence ({@code rr via eth0 persistent 300}). */
  public static String comment(String scheduler, String device, int persistence) {
    return scheduler + " via " + device + (persistence > 0 ? " persistent " + persistence : "");
  }

  /**
   * The service's rules. A connection already in the flows map keeps its real server (the
   * first rule, which also refreshes the entry's timeout); a new one is scheduled by
   * {@code numgen} (rr, wrr: inc; random) and recorded (the second rule). sh and dh hash the
   * client or the VIP instead and need no state (one rule). With persistence the flows map
   * is keyed by the client address alone, so every connection of a client within the
   * timeout goes to the same real server, and sh and dh record their choice too. Every
   * rule ends in {@code fwd ip to <real server> device <device>}. With no slot (every weight
   * 0) only the first rule is there: new connections fall through to the director's own
   * stack, which refuses them.
   *
   * @param setId the id of the slots map when the maps are created in the same batch (reals
   *     and flows have the next two), else 0
   */
  public static void rules(NlWriter w, ServiceKey.Inet k, String scheduler, int slots, String device, int ifindex,
      int setId, int persistence) {
    rules(w, chain(k), k, scheduler, slots, device, ifindex, setId, persistence);
  }

  /** {@link #rules} into {@code chain} (the golden test's). */
  static void rules(NlWriter w, String chain, ServiceKey.Inet k, String scheduler, int slots, String device,
      int ifindex, int setId, int persistence) {
    int slotsId = setId == 0 ? 0 : setId;
    int realsId = setId == 0 ? 0 : setId + 1;
    int flowsId = setId == 0 ? 0 : setId + 2;
    boolean persistent = persistence > 0;
    boolean hash = LbTable.isHash(scheduler);
    String c = comment(scheduler, device, persistence);
    if (hash && slots > 0 && !persistent) {
      NftCodec.newRule(w, FAMILY, TABLE, chain, x -> {
        hash(x, k, scheduler, slots, slotsId);
        forward(x, k, ifindex, realsId);
      }, c);
      return;
    }
    NftCodec.newRule(w, FAMILY, TABLE, chain, x -> {
      flowKey(x, true, persistent);
      NftExpr.lookup(x, Nft.REG_1, Nft.REG_1, flowsMap(k), flowsId);
      DrCodec.setMark(x, Nft.REG_1);
      flowKey(x, false, persistent); // nft checks the protocol once per rule
      DrCodec.loadMark(x, Nft.REG_2);
      DrCodec.dynset(x, DrCodec.DYNSET_UPDATE, Nft.REG_1, Nft.REG_2, flowsMap(k), flowsId);
      forward(x, k, ifindex, realsId);
    }, c);
    if (slots > 0) {
      NftCodec.newRule(w, FAMILY, TABLE, chain, x -> {
        if (hash) {
          hash(x, k, scheduler, slots, slotsId);
        } else {
          NftExpr.numgen(x, Nft.REG_1, slots, scheduler.equals("random") ? Nft.NG_RANDOM : Nft.NG_INC);
          NftExpr.lookup(x, Nft.REG_1, Nft.REG_1, slotsMap(k), slotsId);
          DrCodec.setMark(x, Nft.REG_1);
        }
        flowKey(x, !hash, persistent);
        DrCodec.loadMark(x, Nft.REG_2);
        DrCodec.dynset(x, DrCodec.DYNSET_ADD, Nft.REG_1, Nft.REG_2, flowsMap(k), flowsId);
        forward(x, k, ifindex, realsId);
      }, null);
    }
  }

  /** {@code meta mark set jhash ip saddr|daddr mod N seed S map @slots_*}. */
  private static void hash(NlWriter x, ServiceKey.Inet k, String scheduler, int slots, int slotsId) {
    DrCodec.ipv4Only(x);
    NftExpr.payload(x, Nft.REG_2, Nft.PAYLOAD_NETWORK, scheduler.equals("dh") ? 16 : 12, 4); // sh, mh: the client
    NftExpr.jhash(x, Nft.REG_2, Nft.REG_1, 4, slots, LbTable.HASH_SEED);
    NftExpr.lookup(x, Nft.REG_1, Nft.REG_1, slotsMap(k), slotsId);
    DrCodec.setMark(x, Nft.REG_1);
  }

  /** {@code ip saddr . th sport} (with persistence: {@code ip saddr}) into reg 1. */
  private static void flowKey(NlWriter x, boolean checkProtocol, boolean persistent) {
    if (checkProtocol) {
      DrCodec.ipv4Only(x);
    }
    NftExpr.payload(x, Nft.REG_1, Nft.PAYLOAD_NETWORK, 12, 4);
    if (!persistent) {
      NftExpr.payload(x, Nft.REG32_01, Nft.PAYLOAD_TRANSPORT, 0, 2);
    }
  }

  /** {@code fwd ip to meta mark map @reals_* device DEV}. */
  private static void forward(NlWriter x, ServiceKey.Inet k, int ifindex, int realsId) {
    DrCodec.immediate(x, Nft.REG_1, LbTable.u32(ifindex));
    DrCodec.loadMark(x, Nft.REG_2);
    NftExpr.lookup(x, Nft.REG_2, Nft.REG_2, realsMap(k), realsId);
    DrCodec.fwd(x, Nft.REG_1, Nft.REG_2, Nft.NFPROTO_IPV4);
  }

  /** The summaries {@link NftDecoder#rule} gives for the rules {@link #rules} writes. */
  public static List<String> expectedSummaries(ServiceKey.Inet k, String scheduler, int slots, int persistence) {
    String fwd = " immediate meta lookup:" + realsMap(k) + " fwd";
    boolean persistent = persistence > 0;
    String key = persistent ? "payload" : "payload payload";
    String hash = "meta cmp payload hash:jhash:" + slots + " lookup:" + slotsMap(k) + " meta";
    if (LbTable.isHash(scheduler) && slots > 0 && !persistent) {
      return List.of(hash + fwd);
    }
    List<String> out = new ArrayList<>();
    out.add("meta cmp " + key + " lookup:" + flowsMap(k) + " meta " + key + " meta dynset" + fwd);
    if (slots > 0) {
      out.add((LbTable.isHash(scheduler) ? hash + " " + key : "numgen:" + (scheduler.equals("random") ? "random"
          : "inc") + ":" + slots + " lookup:" + slotsMap(k) + " meta meta cmp " + key) + " meta dynset" + fwd);
    }
    return out;
  }

  /** The slots map's elements: slot i to the id of the real server at i. */
  public static List<Elem> slotElems(List<RealServerKey> slots) {
    List<Elem> out = new ArrayList<>(slots.size());
    for (int i = 0; i < slots.size(); i++) {
      out.add(Elem.of(LbTable.u32(i), id(slots.get(i))));
    }
    return out;
  }

  /** The reals map's elements: each real server's id to its address. */
  public static List<Elem> realElems(Set<RealServerKey> reals) {
    List<Elem> out = new ArrayList<>();
    for (RealServerKey r : new LinkedHashSet<>(reals)) {
      out.add(Elem.of(id(r), r.address().getAddress()));
    }
    return out;
  }
}

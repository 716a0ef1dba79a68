package io.lbkit.nftables.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import io.lbkit.nftables.internal.TableModel.Svc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The messages that turn one service from its old state into its new one when either is
 * direct routing (table {@code netdev lbkit}); NAT states are {@link TableWriter}'s. A
 * service that changes method is deleted from one table and created in the other in the
 * same batch. Pure code. Internal.
 */
public final class DrWriter {
  private DrWriter() {}

  /** Set ids of the DR skeleton's maps: apart from the NAT writer's (service indexes). */
  private static final int SKELETON_IDS = 0x40000000;

  /**
   * Writes the changes of service {@code k} from {@code old} to {@code now} (either null:
   * absent), whatever their forwarding.
   *
   * @param index the interface index of a device name
   * @return the number of messages written
   */
  public static int service(NlWriter w, ServiceKey.Inet k, Svc old, Svc now, int setId, ToIntFunction<String> index) {
    boolean oldDr = old != null && old.isDr();
    boolean nowDr = now != null && now.isDr();
    if (!oldDr && !nowDr) {
      return TableWriter.service(w, k, old, now, setId);
    }
    int n = 0;
    if (old != null && !oldDr) {
      n += TableWriter.service(w, k, old, null, setId);
      old = null;
    }
    if (now != null && !nowDr) {
      n += dr(w, k, old, null, setId, index);
      return n + TableWriter.service(w, k, null, now, setId);
    }
    if (old != null && now != null && old.persistence() != now.persistence()) {
      // the flows map's key and timeout change: the service is made anew
      n += dr(w, k, old, null, setId, index);
      old = null;
    }
    return n + dr(w, k, old, now, setId, index);
  }

  private static int dr(NlWriter w, ServiceKey.Inet k, Svc old, Svc now, int setId, ToIntFunction<String> index) {
    String t = DrTable.TABLE;
    int f = DrTable.FAMILY;
    if (now == null) {
      int n = NftCodec.delElems(w, f, t, DrTable.SERVICES, List.of(Elem.key(LbTable.serviceKey(k))));
      if (!old.weights().isEmpty()) {
        n += NftCodec.delElems(w, f, t, DrTable.DESTS, destKeys(k, old.weights().keySet()));
      }
      NftCodec.flushChain(w, f, t, DrTable.chain(k));
      NftCodec.delSet(w, f, t, DrTable.slotsMap(k));
      NftCodec.delSet(w, f, t, DrTable.realsMap(k));
      NftCodec.delSet(w, f, t, DrTable.flowsMap(k));
      NftCodec.delChain(w, f, t, DrTable.chain(k));
      return n + 5;
    }
    List<RealServerKey> slots = now.slots();
    int n = 0;
    // a service read as "none" (drift) may be so for its ingress chain: that is rewritten too
    if (old == null || !old.dev().equals(now.dev()) || old.scheduler().equals("none")) {
      DrTable.skeleton(w, now.dev());
      n += 6;
    }
    if (old == null) {
      NftCodec.newChain(w, f, t, DrTable.chain(k));
      int id = SKELETON_IDS + 4 * setId;
      DrTable.newMaps(w, k, id, now.persistence());
      n += 4;
      if (!slots.isEmpty()) {
        n += NftCodec.newElems(w, f, t, DrTable.slotsMap(k), 0, DrTable.slotElems(slots));
      }
      if (!now.weights().isEmpty()) {
        n += NftCodec.newElems(w, f, t, DrTable.realsMap(k), 0, DrTable.realElems(now.weights().keySet()));
      }
      DrTable.rules(w, k, now.scheduler(), slots.size(), now.dev(), index.applyAsInt(now.dev()), 0,
          now.persistence());
      n += DrTable.expectedSummaries(k, now.scheduler(), slots.size(), now.persistence()).size();
      n += NftCodec.newElems(w, f, t, DrTable.SERVICES, 0, List.of(Elem.gotoChain(LbTable.serviceKey(k),
          DrTable.chain(k))));
      if (!now.weights().isEmpty()) {
        n += NftCodec.newElems(w, f, t, DrTable.DESTS, 0, destElems(k, now.weights()));
      }
      return n;
    }
    List<Elem> gone = new ArrayList<>();
    List<Elem> added = new ArrayList<>();
    for (Map.Entry<RealServerKey, Integer> e : old.weights().entrySet()) {
      if (!Objects.equals(now.weights().get(e.getKey()), e.getValue())) {
        gone.add(Elem.key(LbTable.destKey(k, e.getKey())));
      }
    }
    for (Map.Entry<RealServerKey, Integer> e : now.weights().entrySet()) {
      if (!Objects.equals(old.weights().get(e.getKey()), e.getValue())) {
        added.add(Elem.of(LbTable.destKey(k, e.getKey()), LbTable.u32(e.getValue())));
      }
    }
    if (!gone.isEmpty()) {
      n += NftCodec.delElems(w, f, t, DrTable.DESTS, gone);
    }
    if (!added.isEmpty()) {
      n += NftCodec.newElems(w, f, t, DrTable.DESTS, 0, added);
    }
    Set<RealServerKey> leaving = new HashSet<>(old.weights().keySet());
    leaving.removeAll(now.weights().keySet());
    Set<RealServerKey> coming = new HashSet<>(now.weights().keySet());
    coming.removeAll(old.weights().keySet());
    List<RealServerKey> oldSlots = old.slots();
    // new real servers are reachable before a slot can name them, leaving ones stay until no slot does
    if (!coming.isEmpty()) {
      n += NftCodec.newElems(w, f, t, DrTable.realsMap(k), 0, DrTable.realElems(coming));
    }
    if (!oldSlots.equals(slots) && oldSlots.size() == slots.size()) {
      n += SlotDelta.write(w, f, t, DrTable.slotsMap(k), oldSlots, slots, DrTable::id); // mh: the slots that moved
    } else if (!oldSlots.equals(slots)) {
      NftCodec.flushSet(w, f, t, DrTable.slotsMap(k));
      n++;
      if (!slots.isEmpty()) {
        n += NftCodec.newElems(w, f, t, DrTable.slotsMap(k), 0, DrTable.slotElems(slots));
      }
    }
    if (!leaving.isEmpty()) {
      List<Elem> ids = new ArrayList<>();
      leaving.forEach(r -> ids.add(Elem.key(DrTable.id(r))));
      n += NftCodec.delElems(w, f, t, DrTable.realsMap(k), ids);
    }
    if (!old.scheduler().equals(now.scheduler()) || oldSlots.size() != slots.size() || !old.dev().equals(now.dev())) {
      NftCodec.flushChain(w, f, t, DrTable.chain(k));
      DrTable.rules(w, k, now.scheduler(), slots.size(), now.dev(), index.applyAsInt(now.dev()), 0,
          now.persistence());
      n += 1 + DrTable.expectedSummaries(k, now.scheduler(), slots.size(), now.persistence()).size();
    }
    return n;
  }

  private static List<Elem> destKeys(ServiceKey.Inet k, Set<RealServerKey> reals) {
    List<Elem> out = new ArrayList<>();
    reals.forEach(r -> out.add(Elem.key(LbTable.destKey(k, r))));
    return out;
  }

  private static List<Elem> destElems(ServiceKey.Inet k, Map<RealServerKey, Integer> weights) {
    List<Elem> out = new ArrayList<>();
    weights.forEach((r, wt) -> out.add(Elem.of(LbTable.destKey(k, r), LbTable.u32(wt))));
    return out;
  }
}

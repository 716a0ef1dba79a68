package io.lbkit.nftables.internal;

import io.lbkit.api.Family;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import io.lbkit.nftables.internal.TableModel.Svc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The messages that turn one service of the table from its old state into its new one,
 * touching only what changed: a new service is its chain, slots map, rule and one element
 * in each of the services and dests maps; a weight change is one dests element replaced
 * and, when the slots change, the slots map refilled and the rule rewritten (its modulus);
 * a scheduler change is the rule rewritten. All of it goes into one batch, so the kernel
 * switches atomically. Pure code. Internal.
 */
public final class TableWriter {
  private TableWriter() {}

  /**
   * Writes the changes of service {@code k} from {@code old} to {@code now} (either null:
   * absent).
   *
   * @param setId an id for a set this may create, unique within the batch (the kernel
   *     wants one on every NFT_MSG_NEWSET of a batch)
   * @return the number of messages written
   */
  public static int service(NlWriter w, ServiceKey.Inet k, Svc old, Svc now, int setId) {
    String t = LbTable.TABLE;
    int f = LbTable.FAMILY;
    Family fam = k.family();
    int n = 0;
    if (old == null && now == null) {
      return 0;
    }
    if (now == null) {
      n += NftCodec.delElems(w, f, t, LbTable.servicesMap(fam), List.of(Elem.key(LbTable.serviceKey(k))));
      if (!old.weights().isEmpty()) {
        n += NftCodec.delElems(w, f, t, LbTable.destsMap(fam), destKeys(k, old.weights()));
      }
      NftCodec.flushChain(w, f, t, LbTable.chain(k));
      NftCodec.delSet(w, f, t, LbTable.slotsMap(k));
      NftCodec.delChain(w, f, t, LbTable.chain(k));
      return n + 3;
    }
    List<RealServerKey> slots = now.slots();
    if (old == null) {
      NftCodec.newChain(w, f, t, LbTable.chain(k));
      LbTable.newSlotsMap(w, k, setId);
      n += 2;
      if (!slots.isEmpty()) {
        n += NftCodec.newElems(w, f, t, LbTable.slotsMap(k), 0, LbTable.slotElems(slots));
      }
      LbTable.rule(w, k, now.scheduler(), now.flags(), slots.size(), 0);
      NftCodec.newElems(w, f, t, LbTable.servicesMap(fam), 0,
          List.of(Elem.gotoChain(LbTable.serviceKey(k), LbTable.chain(k))));
      n += 2;
      if (!now.weights().isEmpty()) {
        n += NftCodec.newElems(w, f, t, LbTable.destsMap(fam), 0, destElems(k, now.weights()));
      }
      return n;
    }
    List<Elem> gone = new ArrayList<>();
    List<Elem> added = new ArrayList<>();
    for (Map.Entry<RealServerKey, Integer> e : old.weights().entrySet()) {
      Integer w2 = now.weights().get(e.getKey());
      if (!Objects.equals(w2, e.getValue())) {
        gone.add(Elem.key(LbTable.destKey(k, e.getKey())));
      }
    }
    for (Map.Entry<RealServerKey, Integer> e : now.weights().entrySet()) {
      if (!Objects.equals(old.weights().get(e.getKey()), e.getValue())) {
        added.add(Elem.of(LbTable.destKey(k, e.getKey()), LbTable.u32(e.getValue())));
      }
    }
    if (!gone.isEmpty()) {
      n += NftCodec.delElems(w, f, t, LbTable.destsMap(fam), gone);
    }
    if (!added.isEmpty()) {
      n += NftCodec.newElems(w, f, t, LbTable.destsMap(fam), 0, added);
    }
    List<RealServerKey> oldSlots = old.slots();
    if (!oldSlots.equals(slots) && oldSlots.size() == slots.size()) {
      n += SlotDelta.write(w, k, oldSlots, slots); // mh: only the slots that moved
    } else if (!oldSlots.equals(slots)) {
      NftCodec.flushSet(w, f, t, LbTable.slotsMap(k));
      n++;
      if (!slots.isEmpty()) {
        n += NftCodec.newElems(w, f, t, LbTable.slotsMap(k), 0, LbTable.slotElems(slots));
      }
    }
    if (!old.scheduler().equals(now.scheduler()) || !old.flags().equals(now.flags())
        || oldSlots.size() != slots.size()) {
      NftCodec.flushChain(w, f, t, LbTable.chain(k));
      LbTable.rule(w, k, now.scheduler(), now.flags(), slots.size(), 0);
      n += 2;
    }
    return n;
  }

  private static List<Elem> destKeys(ServiceKey.Inet k, Map<RealServerKey, Integer> weights) {
    List<Elem> out = new ArrayList<>();
    weights.keySet().forEach(r -> out.add(Elem.key(LbTable.destKey(k, r))));
    return out;
  }

  private static List<Elem> destElems(ServiceKey.Inet k, Map<RealServerKey, Integer> weights) {
    List<Elem> out = new ArrayList<>();
    weights.forEach((r, wt) -> out.add(Elem.of(LbTable.destKey(k, r), LbTable.u32(wt))));
    return out;
  }
}

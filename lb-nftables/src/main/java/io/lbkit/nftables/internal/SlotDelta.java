package io.lbkit.nftables.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.ServiceKey;
import io.lbkit.netlink.internal.NlWriter;
import io.lbkit.nftables.internal.NftCodec.Elem;
import java.util.ArrayList;
import java.util.List;

/**
 * A slots map changed in place: the slots whose real server moved are deleted and added
 * again with the new one (the kernel refuses to overwrite an element's data), the rest
 * untouched. For mh, whose {@value Maglev#TABLE_SIZE} slots keep their number, a change of
 * one real server rewrites about its share of the slots instead of all of them. Pure code.
 * Internal.
 */
final class SlotDelta {
  private SlotDelta() {}

  /**
   * Writes the change from {@code old} to {@code now} (the same size).
   *
   * @return the number of messages written
   */
  static int write(NlWriter w, ServiceKey.Inet k, List<RealServerKey> old, List<RealServerKey> now) {
    return write(w, LbTable.FAMILY, LbTable.TABLE, LbTable.slotsMap(k), old, now, LbTable::addrPort);
  }

  /**
   * Writes the change from {@code old} to {@code now} (the same size) to the slots map
   * {@code map} of table {@code table}, each slot's data being {@code data} of its real server.
   *
   * @return the number of messages written
   */
  static int write(NlWriter w, int family, String table, String map, List<RealServerKey> old,
      List<RealServerKey> now, java.util.function.Function<RealServerKey, byte[]> data) {
    List<Elem> gone = new ArrayList<>();
    List<Elem> added = new ArrayList<>();
    for (int i = 0; i < now.size(); i++) {
      if (!old.get(i).equals(now.get(i))) {
        gone.add(Elem.key(LbTable.u32(i)));
        added.add(Elem.of(LbTable.u32(i), data.apply(now.get(i))));
      }
    }
    if (gone.isEmpty()) {
      return 0;
    }
    return NftCodec.delElems(w, family, table, map, gone) + NftCodec.newElems(w, family, table, map, 0, added);
  }
}

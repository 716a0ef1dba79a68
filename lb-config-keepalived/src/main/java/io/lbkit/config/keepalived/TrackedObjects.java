package io.lbkit.config.keepalived;

import io.lbkit.api.vrrp.TrackedObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A vrrp_instance's {@code track_process} / {@code track_bfd} block: lines
 * {@code NAME [weight N [reverse|noreverse]]}, each resolved against the
 * {@code vrrp_track_process} / {@code bfd_instance} blocks read so far (keepalived looks
 * them up when it reads the instance, so a later definition does not count).
 */
final class TrackedObjects {
  private TrackedObjects() {}

  /**
   * The block's entries; a bad weight, an unknown or later-defined name drops the entry
   * (as keepalived does) with an error at its line.
   *
   * @param definitionKind the top-level block the names refer to
   * @param definitions those blocks read so far: name to definition lines
   * @param maxWeight 254 for processes, 253 for BFD
   */
  static List<TrackedObject> parse(Node n, Values v, String definitionKind, Map<String, List<String>> definitions,
      int maxWeight) {
    List<TrackedObject> out = new ArrayList<>();
    if (!v.block(n)) {
      return out;
    }
    Diags d = v.diags();
    Set<String> seen = new LinkedHashSet<>();
    for (Node c : n.children) {
      String name = c.name();
      if (!seen.add(name)) {
        d.warn(c.keyword, n.name() + ": " + name + " listed twice; keepalived ignores this line");
        continue;
      }
      OptionalInt weight = OptionalInt.empty();
      boolean reverse = false;
      if (c.argc() > 0 && c.arg(0).equals("weight")) {
        if (c.argc() < 2) {
          d.error(c.keyword, n.name() + " " + name + ": weight needs a value (-" + maxWeight + ".." + maxWeight
              + "); keepalived ignores this line");
          continue;
        }
        Node w = new Node(c.args.get(0), c.args.subList(1, c.argc()), false);
        Integer val = v.int32(w, 0, -maxWeight, maxWeight);
        if (val == null) {
          continue;
        }
        weight = OptionalInt.of(val);
        if (c.argc() > 2) {
          reverse = c.arg(2).equals("reverse");
          if (!reverse && !c.arg(2).equals("noreverse")) {
            d.warn(c.at(2), n.name() + " " + name + ": unknown weight option '" + c.arg(2)
                + "' ignored (expected reverse or noreverse)");
          }
        }
      } else if (c.argc() > 0) {
        d.warn(c.at(0), n.name() + " " + name + ": unknown option '" + c.arg(0) + "' ignored (expected 'weight N')");
      }
      List<String> def = definitions.get(name);
      if (def == null) {
        d.error(c.keyword, n.name() + " " + name + ": no " + definitionKind + " " + name
            + " is defined before this vrrp_instance; keepalived ignores it");
        continue;
      }
      out.add(new TrackedObject(name, weight, reverse, def));
    }
    return out;
  }
}

package io.lbkit.runtime;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The VRRP lines of {@link Changes#vrrp()}: what differs between two specs, by block and name. Pure. */
final class VrrpChanges {
  private VrrpChanges() {}

  /** What {@code next} adds, removes and changes relative to {@code old} (null: nothing ran before). */
  static List<String> between(LoadBalancerSpec old, LoadBalancerSpec next) {
    List<String> out = new ArrayList<>();
    diff(out, "vrrp_script", old == null ? Map.of() : old.scripts(), next.scripts());
    diff(out, "track_file", old == null ? Map.of() : old.trackFiles(), next.trackFiles());
    diff(out, "vrrp_instance", byName(old == null ? List.of() : old.vrrpInstances(), VrrpInstanceSpec::name),
        byName(next.vrrpInstances(), VrrpInstanceSpec::name));
    diff(out, "vrrp_sync_group", byName(old == null ? List.of() : old.syncGroups(), VrrpSyncGroupSpec::name),
        byName(next.syncGroups(), VrrpSyncGroupSpec::name));
    return out;
  }

  private static <T> Map<String, T> byName(List<T> list, Function<T, String> name) {
    Map<String, T> m = new LinkedHashMap<>();
    list.forEach(t -> m.put(name.apply(t), t));
    return m;
  }

  private static void diff(List<String> out, String block, Map<String, ?> old, Map<String, ?> next) {
    for (Map.Entry<String, ?> e : new java.util.TreeMap<>(next).entrySet()) {
      Object was = old.get(e.getKey());
      if (was == null) {
        out.add(block + " " + e.getKey() + " added");
      } else if (!was.equals(e.getValue())) {
        out.add(block + " " + e.getKey() + " changed");
      }
    }
    new java.util.TreeSet<>(old.keySet()).stream().filter(k -> !next.containsKey(k))
        .forEach(k -> out.add(block + " " + k + " removed"));
  }
}

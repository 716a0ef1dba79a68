package io.lbkit.vrrp;

import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The minimal difference between a router's running instances and a new instance
 * list: which instances stop (gone, or changed in what cannot change live: link, VRID,
 * version, family, source, multicast/unicast mode), which specs start, and which
 * running instances take a new spec in place. Pure; the router applies it.
 *
 * @param removed running instances to stop gracefully
 * @param added specs to start as new instances
 * @param changed running instances to their new spec (equal specs are left out)
 */
record LiveChange(List<VrrpInstance> removed, List<VrrpInstanceSpec> added,
    Map<VrrpInstance, VrrpInstanceSpec> changed) {

  static LiveChange between(Map<String, VrrpInstance> running, List<VrrpInstanceSpec> next) {
    List<VrrpInstance> removed = new ArrayList<>();
    List<VrrpInstanceSpec> added = new ArrayList<>();
    Map<VrrpInstance, VrrpInstanceSpec> changed = new java.util.LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (VrrpInstanceSpec s : next) {
      names.add(s.name());
      VrrpInstance i = running.get(s.name());
      if (i == null) {
        added.add(s);
      } else if (!i.liveChangeable(s)) {
        removed.add(i);
        added.add(s);
      } else if (!i.spec().equals(s)) {
        changed.put(i, s);
      }
    }
    running.values().stream().filter(i -> !names.contains(i.name())).forEach(removed::add);
    return new LiveChange(List.copyOf(removed), List.copyOf(added), changed);
  }

  /** Validates a whole instance list: unique names, one instance per VRID and channel. */
  static void validate(List<VrrpInstanceSpec> specs) {
    Set<String> names = new HashSet<>();
    Set<String> vrids = new HashSet<>();
    for (VrrpInstanceSpec s : specs) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("vrrp_instance " + s.name() + " defined twice");
      }
      if (!vrids.add(Channels.key(s) + "|" + s.vrid())) {
        throw new IllegalArgumentException("vrrp_instance " + s.name() + ": VRID " + s.vrid()
            + " is already used on " + s.interfaceName() + " (" + s.family() + ")");
      }
    }
  }
}

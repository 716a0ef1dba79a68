package io.lbkit.nftables;

import io.lbkit.api.Scheduler;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.nftables.internal.NftDecoder.DumpedRule;
import io.lbkit.nftables.internal.TableModel;
import io.lbkit.nftables.internal.TableModel.Svc;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A service's scheduler and flags as its rule's comment names them ({@code wrr},
 * {@code mh mh-fallback,mh-port}); anything else reads as scheduler {@code none}, so the
 * Director rewrites the rule.
 */
final class RuleComment {
  private RuleComment() {}

  /** An empty service with the scheduler and flags the service chain's one rule names. */
  static Svc svc(List<DumpedRule> rules) {
    if (rules == null || rules.size() != 1 || rules.get(0).comment() == null) {
      return new Svc("none", new TreeMap<>());
    }
    String[] parts = rules.get(0).comment().split(" ", -1);
    if (!TableModel.SCHEDULERS.contains(parts[0]) || parts.length > 2) {
      return new Svc("none", new TreeMap<>());
    }
    Set<SchedulerFlag> flags = EnumSet.noneOf(SchedulerFlag.class);
    if (parts.length == 2) {
      for (String label : parts[1].split(",", -1)) {
        SchedulerFlag f;
        try {
          f = SchedulerFlag.ofLabel(label);
        } catch (IllegalArgumentException e) {
          return new Svc("none", new TreeMap<>());
        }
        if (!f.appliesTo(Scheduler.of(parts[0]))) {
          return new Svc("none", new TreeMap<>());
        }
        flags.add(f);
      }
    }
    return new Svc(parts[0], new TreeMap<>(), flags);
  }
}

package io.lbkit.vrrp;

import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * lb-api's {@link Failover} port over a {@link VrrpRouter}: what a
 * {@code LoadBalancer} uses.
 *
 * <p>A call to {@link #setInstances} with a different list is applied to the running
 * router as the minimal live change ({@link VrrpRouter#reconfigure}): unchanged
 * instances are untouched, changed ones keep their state (a master keeps its VIPs),
 * new ones start and removed ones stop gracefully. An identical list does nothing;
 * an empty one stops the router.
 *
 * <pre>{@code
 * Failover vrrp = VrrpFailover.create(() -> VrrpRouter.builder(RawVrrpTransport.open(null), addresses, timers)
 *     .listener(log));
 * }</pre>
 */
public final class VrrpFailover implements Failover {
  private final Supplier<VrrpRouter.Builder> builders;
  private VrrpRouter router;
  private List<VrrpInstanceSpec> instances = List.of();
  private List<VrrpSyncGroupSpec> groups = List.of();
  // null until setConfiguration: the builder's own scripts and track files apply
  private List<TrackedScript> scripts;
  private List<TrackedFile> files;
  private ScriptPolicy policy;

  private VrrpFailover(Supplier<VrrpRouter.Builder> builders) {
    this.builders = builders;
  }

  /**
   * A failover that builds its router from a fresh builder each time (transport,
   * addresses, clock, listeners, scripts already set); instances and sync groups are
   * added by {@link #setInstances}.
   */
  public static VrrpFailover create(Supplier<VrrpRouter.Builder> builders) {
    return new VrrpFailover(Objects.requireNonNull(builders, "builders"));
  }

  @Override
  public synchronized void setInstances(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups)
      throws IOException {
    if (router != null && next.equals(instances) && nextGroups.equals(groups)) {
      return;
    }
    apply(next, nextGroups, scripts, files);
  }

  /**
   * A reload: these instances and sync groups, with exactly these vrrp_scripts and
   * track_files from now on (taking precedence over the builder's), applied as the minimal live
   * change ({@link VrrpRouter#reconfigure(List, List, Collection, Collection)}): an
   * instance whose only change is a new or re-weighted script or file keeps its state
   * and addresses and takes the new effective priority at once. An identical
   * configuration does nothing.
   *
   * @throws IllegalArgumentException if the configuration is invalid (nothing changed then)
   * @throws IOException if a needed channel cannot be opened (nothing changed then)
   */
  public synchronized void setConfiguration(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups,
      Collection<TrackedScript> nextScripts, Collection<TrackedFile> nextFiles) throws IOException {
    setConfiguration(next, nextGroups, nextScripts, nextFiles, policy);
  }

  /**
   * A reload as {@link #setConfiguration(List, List, Collection, Collection)}, under this
   * script policy (global_defs' script_user and enable_script_security: {@link ScriptPolicy#of}).
   */
  public synchronized void setConfiguration(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups,
      Collection<TrackedScript> nextScripts, Collection<TrackedFile> nextFiles, ScriptPolicy nextPolicy)
      throws IOException {
    List<TrackedScript> s = List.copyOf(nextScripts);
    List<TrackedFile> f = List.copyOf(nextFiles);
    ScriptPolicy oldPolicy = policy;
    policy = nextPolicy;
    if (router != null && next.equals(instances) && nextGroups.equals(groups) && scripts != null
        && Objects.equals(oldPolicy, nextPolicy)
        && java.util.Set.copyOf(s).equals(java.util.Set.copyOf(scripts))
        && java.util.Set.copyOf(f).equals(java.util.Set.copyOf(files))) {
      return;
    }
    try {
      apply(next, nextGroups, s, f);
    } catch (IOException | RuntimeException e) {
      policy = oldPolicy;
      throw e;
    }
    scripts = s;
    files = f;
  }

  private void apply(List<VrrpInstanceSpec> next, List<VrrpSyncGroupSpec> nextGroups, List<TrackedScript> s,
      List<TrackedFile> f) throws IOException {
    List<VrrpInstanceSpec> nextInstances = List.copyOf(next);
    List<VrrpSyncGroupSpec> nextGroupList = List.copyOf(nextGroups);
    if (nextInstances.isEmpty()) {
      close();
    } else if (router != null) {
      if (s != null) {
        router.reconfigure(nextInstances, nextGroupList, s, f, policy);
      } else {
        router.reconfigure(nextInstances, nextGroupList);
      }
    } else {
      VrrpRouter.Builder b = builders.get();
      if (policy != null) {
        b.scriptPolicy(policy);
      }
      if (s != null) {
        s.forEach(b::script);
        f.forEach(b::trackFile);
      }
      nextInstances.forEach(b::instance);
      nextGroupList.forEach(b::syncGroup);
      VrrpRouter r = b.build();
      try {
        r.start();
      } catch (IOException | RuntimeException e) {
        r.close();
        throw e;
      }
      router = r;
    }
    instances = nextInstances;
    groups = nextGroupList;
  }

  /** The running router, or null before the first instances. */
  public synchronized VrrpRouter router() {
    return router;
  }

  @Override
  public synchronized Map<String, InstanceStatus> status() {
    Map<String, InstanceStatus> out = new LinkedHashMap<>();
    if (router != null) {
      for (VrrpInstance i : router.instances()) {
        out.put(i.name(), new InstanceStatus(i.state(), i.effectivePriority(), i.drops()));
      }
    }
    return out;
  }

  @Override
  public synchronized Map<String, Map<String, Long>> unmatchedDrops() {
    return router == null ? Map.of() : router.unmatchedDrops();
  }

  /** Stops gracefully: priority 0 from masters, VIPs removed. */
  @Override
  public synchronized void close() {
    if (router != null) {
      router.close();
      router = null;
    }
  }
}

package io.lbkit.api;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Route;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole load balancer: what one keepalived.conf describes. Built by the fluent API
 * or imported by lb-config-keepalived; run by {@code LoadBalancer}.
 *
 * <pre>{@code
 * LoadBalancerSpec spec = LoadBalancerSpec.builder()
 *     .virtualServices(List.of(web))
 *     .vrrpInstances(List.of(vi1))
 *     .build();
 * LoadBalancerSpec more = spec.toBuilder().staticRoutes(List.of(Route.via("10.1.0.0/16", "192.168.0.254"))).build();
 * }</pre>
 *
 * @param globals global_defs
 * @param virtualServices virtual servers, each with a concrete kernel key (groups expanded)
 * @param virtualServerGroups virtual_server_group name to member keys, kept for export
 * @param vrrpInstances vrrp_instance blocks
 * @param syncGroups vrrp_sync_group blocks
 * @param scripts vrrp_script blocks by name
 * @param staticAddresses static_ipaddress: interface name to addresses
 * @param staticRoutes static_routes
 * @param trackFiles track_file (and vrrp_track_file) blocks by name
 */
public record LoadBalancerSpec(GlobalDefs globals, List<VirtualService> virtualServices,
    Map<String, List<ServiceKey>> virtualServerGroups, List<VrrpInstanceSpec> vrrpInstances,
    List<VrrpSyncGroupSpec> syncGroups, Map<String, TrackedScript> scripts, Map<String, List<IfAddress>> staticAddresses,
    List<Route> staticRoutes, Map<String, TrackedFile> trackFiles) {

  /** Copies. */
  public LoadBalancerSpec {
    globals = globals == null ? GlobalDefs.DEFAULT : globals;
    virtualServices = List.copyOf(virtualServices);
    virtualServerGroups = Map.copyOf(virtualServerGroups);
    vrrpInstances = List.copyOf(vrrpInstances);
    syncGroups = List.copyOf(syncGroups);
    scripts = Map.copyOf(scripts);
    staticAddresses = Map.copyOf(staticAddresses);
    staticRoutes = List.copyOf(staticRoutes);
    trackFiles = Map.copyOf(trackFiles);
  }

  /** Without track files (the constructor before {@code trackFiles} was added). */
  public LoadBalancerSpec(GlobalDefs globals, List<VirtualService> virtualServices,
      Map<String, List<ServiceKey>> virtualServerGroups, List<VrrpInstanceSpec> vrrpInstances,
      List<VrrpSyncGroupSpec> syncGroups, Map<String, TrackedScript> scripts,
      Map<String, List<IfAddress>> staticAddresses, List<Route> staticRoutes) {
    this(globals, virtualServices, virtualServerGroups, vrrpInstances, syncGroups, scripts, staticAddresses,
        staticRoutes, Map.of());
  }

  /** Only virtual services, defaults for the rest. */
  public static LoadBalancerSpec of(List<VirtualService> services) {
    return new LoadBalancerSpec(GlobalDefs.DEFAULT, services, Map.of(), List.of(), List.of(), Map.of(), Map.of(),
        List.of(), Map.of());
  }

  /** The same with these virtual services. */
  public LoadBalancerSpec withVirtualServices(List<VirtualService> services) {
    return new LoadBalancerSpec(globals, services, virtualServerGroups, vrrpInstances, syncGroups, scripts,
        staticAddresses, staticRoutes, trackFiles);
  }

  /** The same with these VRRP instances. */
  public LoadBalancerSpec withVrrpInstances(List<VrrpInstanceSpec> instances) {
    return new LoadBalancerSpec(globals, virtualServices, virtualServerGroups, instances, syncGroups, scripts,
        staticAddresses, staticRoutes, trackFiles);
  }

  /** The same with these track files (track_file blocks, by name). */
  public LoadBalancerSpec withTrackFiles(Map<String, TrackedFile> files) {
    return new LoadBalancerSpec(globals, virtualServices, virtualServerGroups, vrrpInstances, syncGroups, scripts,
        staticAddresses, staticRoutes, files);
  }

  /** An empty spec's builder: no services, no VRRP, {@link GlobalDefs#DEFAULT}. */
  public static Builder builder() {
    return new Builder(of(List.of()));
  }

  /** A builder holding this spec's parts, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link LoadBalancerSpec}; each setter replaces one part, {@link #build} copies them. */
  public static final class Builder {
    private GlobalDefs globals;
    private List<VirtualService> virtualServices;
    private Map<String, List<ServiceKey>> virtualServerGroups;
    private List<VrrpInstanceSpec> vrrpInstances;
    private List<VrrpSyncGroupSpec> syncGroups;
    private Map<String, TrackedScript> scripts;
    private Map<String, List<IfAddress>> staticAddresses;
    private List<Route> staticRoutes;
    private Map<String, TrackedFile> trackFiles;

    private Builder(LoadBalancerSpec s) {
      globals = s.globals;
      virtualServices = s.virtualServices;
      virtualServerGroups = s.virtualServerGroups;
      vrrpInstances = s.vrrpInstances;
      syncGroups = s.syncGroups;
      scripts = s.scripts;
      staticAddresses = s.staticAddresses;
      staticRoutes = s.staticRoutes;
      trackFiles = s.trackFiles;
    }

    /** global_defs; null means {@link GlobalDefs#DEFAULT}. */
    public Builder globals(GlobalDefs g) {
      globals = g;
      return this;
    }

    /** The virtual servers, each with a concrete kernel key. */
    public Builder virtualServices(List<VirtualService> l) {
      virtualServices = Objects.requireNonNull(l, "virtualServices");
      return this;
    }

    /** virtual_server_group name to member keys (kept for export). */
    public Builder virtualServerGroups(Map<String, List<ServiceKey>> m) {
      virtualServerGroups = Objects.requireNonNull(m, "virtualServerGroups");
      return this;
    }

    /** The vrrp_instance blocks. */
    public Builder vrrpInstances(List<VrrpInstanceSpec> l) {
      vrrpInstances = Objects.requireNonNull(l, "vrrpInstances");
      return this;
    }

    /** The vrrp_sync_group blocks. */
    public Builder syncGroups(List<VrrpSyncGroupSpec> l) {
      syncGroups = Objects.requireNonNull(l, "syncGroups");
      return this;
    }

    /** The vrrp_script blocks by name. */
    public Builder scripts(Map<String, TrackedScript> m) {
      scripts = Objects.requireNonNull(m, "scripts");
      return this;
    }

    /** static_ipaddress: interface name to addresses. */
    public Builder staticAddresses(Map<String, List<IfAddress>> m) {
      staticAddresses = Objects.requireNonNull(m, "staticAddresses");
      return this;
    }

    /** static_routes. */
    public Builder staticRoutes(List<Route> l) {
      staticRoutes = Objects.requireNonNull(l, "staticRoutes");
      return this;
    }

    /** track_file (and vrrp_track_file) blocks by name. */
    public Builder trackFiles(Map<String, TrackedFile> m) {
      trackFiles = Objects.requireNonNull(m, "trackFiles");
      return this;
    }

    /** The spec (immutable copies of every part). */
    public LoadBalancerSpec build() {
      return new LoadBalancerSpec(globals, virtualServices, virtualServerGroups, vrrpInstances, syncGroups, scripts,
          staticAddresses, staticRoutes, trackFiles);
    }
  }
}

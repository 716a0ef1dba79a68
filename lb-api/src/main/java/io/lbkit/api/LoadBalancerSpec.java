package io.lbkit.api;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Route;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import java.util.List;
import java.util.Map;

/**
 * A whole load balancer: what one keepalived.conf describes. Built by the fluent API
 * or imported by lb-config-keepalived; run by {@code LoadBalancer}.
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
}

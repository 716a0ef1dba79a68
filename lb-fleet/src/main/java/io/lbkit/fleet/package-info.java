/**
 * Fleet mode: N active directors following one keepalived.conf stored in etcd v3.
 *
 * <p>Entry types: {@link io.lbkit.fleet.FleetStore} (the configuration under one key:
 * validated put with compare-and-swap, read, the registered directors),
 * {@link io.lbkit.fleet.FleetDirector} (one director: runs the stored configuration on
 * lb-runtime and follows every change), {@link io.lbkit.fleet.VipAnnouncer},
 * {@link io.lbkit.fleet.FrrAnnouncer} and {@link io.lbkit.fleet.GobgpAnnouncer} (VIPs announced by an
 * existing BGP daemon: FRR through vtysh, GoBGP through its gobgp client),
 * {@link io.lbkit.fleet.DirectorStatus} (what a director reports),
 * {@link io.lbkit.fleet.StoredConfig}, and the refusals
 * {@link io.lbkit.fleet.InvalidConfigException} and {@link io.lbkit.fleet.RevisionMismatchException}.
 */
package io.lbkit.fleet;

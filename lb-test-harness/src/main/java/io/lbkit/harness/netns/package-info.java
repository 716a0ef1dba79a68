/**
 * Network namespaces for the netns test tier (root). Entries:
 * {@link io.lbkit.harness.netns.NetNs} (one namespace the test owns: commands with a
 * deadline, dummy/veth/bridge interfaces, addresses, background processes, everything
 * deleted on close), {@link io.lbkit.harness.netns.Lan} (N namespaces on one bridge) and
 * {@link io.lbkit.harness.netns.Exec} (any program with a deadline, e.g. {@code ipvsadm}
 * as an oracle); {@link io.lbkit.harness.netns.NatTopology} (client, director and web
 * server namespaces for NAT traffic through a VIP).
 *
 * <p>Safety: these types only act inside namespaces they created (names start with
 * {@code lbt-}), never on the host's own interfaces; a test calls
 * {@code Tiers.requireRoot(...)} first and closes what it creates in try-with-resources
 * or {@code @AfterAll}; a shutdown hook deletes namespaces a test forgot.
 */
package io.lbkit.harness.netns;

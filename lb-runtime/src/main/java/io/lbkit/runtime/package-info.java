/**
 * The whole load balancer as a library: what {@code lbctl run} starts, in any JVM.
 *
 * <p>Entry types: {@link io.lbkit.runtime.LoadBalancerRuntime} (start from a
 * keepalived.conf or a {@code LoadBalancerSpec}, reload, status, graceful close) and
 * its {@link io.lbkit.runtime.LoadBalancerRuntime.Builder} (network namespace, clock,
 * adapters); {@link io.lbkit.runtime.Dataplane} (IPVS, nftables, or whichever the kernel
 * has); {@link io.lbkit.runtime.RuntimeListener} (VRRP transitions, health
 * verdicts, applied configurations); {@link io.lbkit.runtime.Changes} (what a start
 * or reload changed); {@link io.lbkit.runtime.ConfigException} (a refused
 * configuration, with file:line diagnostics).
 *
 * <pre>{@code
 * try (LoadBalancerRuntime lb = LoadBalancerRuntime.start(Path.of("/etc/keepalived/keepalived.conf"))) {
 *   System.out.println(lb.status().toJson());
 *   lb.reload(Path.of("/etc/keepalived/keepalived.conf"));   // only the difference is applied
 * }
 * }</pre>
 */
package io.lbkit.runtime;

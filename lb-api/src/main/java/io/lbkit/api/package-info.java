/**
 * The lbkit domain, pure Java. Entry types:
 * <ul>
 *   <li>{@link io.lbkit.api.VirtualService} and {@link io.lbkit.api.RealServer}: the fluent,
 *       immutable description of a load balancer
 *       ({@code VirtualService.tcp(vip, 80).rr().dr().add(real)}), with their keys
 *       {@link io.lbkit.api.ServiceKey} and {@link io.lbkit.api.RealServerKey} and the values
 *       {@link io.lbkit.api.Scheduler}, {@link io.lbkit.api.SchedulerFlag},
 *       {@link io.lbkit.api.Forwarding}, {@link io.lbkit.api.Persistence},
 *       {@link io.lbkit.api.Protocol} and {@link io.lbkit.api.Family};</li>
 *   <li>{@link io.lbkit.api.LoadBalancerSpec} (services, VRRP instances and
 *       {@link io.lbkit.api.GlobalDefs}) and {@link io.lbkit.api.LoadBalancer}, which runs one
 *       and reports {@link io.lbkit.api.LoadBalancerStatus};</li>
 *   <li>{@link io.lbkit.api.Director}: reconciles the IPVS table to the desired services by
 *       a minimal diff and applies health results ({@link io.lbkit.api.ServiceView});</li>
 *   <li>{@link io.lbkit.api.TimerService}: the injected clock and timers.</li>
 * </ul>
 * Subpackages: {@link io.lbkit.api.ipvs} (the IPVS port, its rows and ops),
 * {@link io.lbkit.api.kernel} (kernel errors and their one translator),
 * {@link io.lbkit.api.ipvsadm} (the {@code ipvsadm} renderer), {@link io.lbkit.api.net}
 * (addresses, routes, sysctl), {@link io.lbkit.api.check} (check specs and the health
 * port), {@link io.lbkit.api.vrrp} (VRRP specs and the failover port) and
 * {@link io.lbkit.api.script} (who scripts run as, and which are refused as unsafe).
 */
package io.lbkit.api;

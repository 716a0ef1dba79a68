/**
 * The lbkit domain, pure Java. Entry types:
 * <ul>
 *   <li>{@link io.lbkit.api.VirtualService} and {@link io.lbkit.api.RealServer}: the fluent,
 *       immutable description of a load balancer
 *       ({@code VirtualService.tcp(vip, 80).rr().dr().add(real)});</li>
 *   <li>{@link io.lbkit.api.Ipvs}: the port to the kernel's IPVS table (implemented by
 *       lb-netlink and faked by lb-testing);</li>
 *   <li>{@link io.lbkit.api.Director}: reconciles an {@code Ipvs} to the desired services by
 *       a minimal diff and applies health results;</li>
 *   <li>{@link io.lbkit.api.IpvsadmFormat}: renders state as {@code ipvsadm -L -n} / {@code -S -n}.</li>
 * </ul>
 * Errors from ports are {@link io.lbkit.api.KernelException}s built by its one translator.
 */
package io.lbkit.api;

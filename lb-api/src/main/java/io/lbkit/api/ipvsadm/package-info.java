/**
 * {@link io.lbkit.api.ipvsadm.IpvsadmFormat}: IPVS state rendered byte for byte as Debian's
 * ipvsadm 1.31 prints it ({@code -L -n} in every view, {@code -S -n}, timeouts, daemons).
 * It depends on the domain and {@link io.lbkit.api.ipvs}; nothing in them depends on it.
 */
package io.lbkit.api.ipvsadm;

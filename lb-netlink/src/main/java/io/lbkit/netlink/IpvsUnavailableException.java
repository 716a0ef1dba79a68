package io.lbkit.netlink;

import io.lbkit.api.kernel.Errno;
import io.lbkit.api.kernel.KernelException;

/**
 * {@link NetlinkIpvs#open} found no IPVS in this kernel: resolving the generic netlink
 * family IPVS failed with ENOENT (the ip_vs module is not loaded, or the kernel lacks
 * it). A caller that acts on this (lbctl prints how to fix it) tests the type, never the
 * text. {@link #extAck} is only what the kernel sent; lbkit's hint
 * ({@link NetlinkIpvs#NOT_AVAILABLE}) is in the message:
 * {@code resolve generic netlink family IPVS: ENOENT (No such file or directory); IPVS is
 * not available in this kernel (generic netlink family IPVS not found); modprobe ip_vs}.
 */
public final class IpvsUnavailableException extends KernelException {
  private static final long serialVersionUID = 1L;

  IpvsUnavailableException(KernelException resolve) {
    super(resolve.operation(), resolve.errno(), resolve.extAck(), resolve.operation() + ": "
        + Errno.describe(resolve.errno())
        + (resolve.extAck() == null || resolve.extAck().isEmpty() ? "" : " - " + resolve.extAck())
        + "; " + NetlinkIpvs.NOT_AVAILABLE);
    initCause(resolve);
  }
}

package io.lbkit.netlink.rtnl;

import io.lbkit.api.net.IfAddress;
import java.util.Objects;

/**
 * An address as RTM_NEWADDR describes it: lb-api's {@link IfAddress} plus where it lives
 * and the kernel's state of it.
 *
 * @param ifIndex the interface's index
 * @param address the address, prefix, label, scope, broadcast and NODAD
 * @param flags all IFA_F_* bits (IFA_FLAGS, else the header's 8 bits)
 * @param preferredLifetime seconds, or -1 for forever (IFA_CACHEINFO; -1 when absent)
 * @param validLifetime seconds, or -1 for forever
 */
public record Address(int ifIndex, IfAddress address, int flags, long preferredLifetime, long validLifetime) {

  /** Validates. */
  public Address {
    Objects.requireNonNull(address, "address");
  }

  /** Still running duplicate address detection (IFA_F_TENTATIVE): not yet usable as a source. */
  public boolean tentative() {
    return (flags & Rtnl.IFA_F_TENTATIVE) != 0;
  }
}

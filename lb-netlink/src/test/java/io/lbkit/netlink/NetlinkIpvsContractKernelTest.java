package io.lbkit.netlink;

import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.testing.IpvsContract;
import io.lbkit.harness.Tiers;
import org.junit.jupiter.api.Tag;

/** The Ipvs contract against the real kernel (inside the kernel VM; see {@link KernelTierTest}). */
@Tag("kernel")
class NetlinkIpvsContractKernelTest extends IpvsContract {
  @Override
  protected Ipvs open() throws Exception {
    Tiers.requireIpvs();
    return NetlinkIpvs.open();
  }
}

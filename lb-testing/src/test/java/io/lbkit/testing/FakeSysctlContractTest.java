package io.lbkit.testing;

import io.lbkit.api.net.Sysctl;

/** The fake passes the same contract as /proc/sys (lb-netlink's ProcSysctlContractTest). */
class FakeSysctlContractTest extends SysctlContract {
  @Override
  protected Sysctl sysctl() {
    return new FakeSysctl().define(PARAMETER, "0").define("net.ipv4.conf.all.arp_announce", "0");
  }
}

package io.lbkit.netlink;

import io.lbkit.api.net.Sysctl;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import io.lbkit.testing.SysctlContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** netns tier: /proc/sys passes the same {@link SysctlContract} as lb-testing's FakeSysctl, in a fresh namespace. */
class ProcSysctlContractTest extends SysctlContract {
  private NetNs ns;

  @BeforeEach
  void namespace() {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  @Override
  protected Sysctl sysctl() {
    return ProcSysctl.inNetns(ns.name());
  }
}

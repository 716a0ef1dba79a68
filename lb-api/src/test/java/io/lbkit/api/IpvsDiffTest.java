package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The diff against a kernel model that behaves like IPVS for destinations on the director's own addresses. */
class IpvsDiffTest {
  private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);
  private static final InetAddress OWN = Inet.parse("192.0.2.1");
  private static final InetAddress REMOTE = Inet.parse("192.0.2.61");

  /**
   * Applies ops as the kernel does: a destination on one of the director's own addresses
   * is held (and reported) with Local forwarding, whatever method it was given.
   */
  private static void kernelApply(Map<ServiceKey, IpvsDiff.Table> kernel, List<IpvsOp> ops) {
    for (IpvsOp op : ops) {
      IpvsOp asKernel = op;
      if (op instanceof IpvsOp.AddDest a && a.dest().key().address().equals(OWN)) {
        asKernel = new IpvsOp.AddDest(a.key(), local(a.dest()));
      } else if (op instanceof IpvsOp.UpdateDest u && u.dest().key().address().equals(OWN)) {
        asKernel = new IpvsOp.UpdateDest(u.key(), local(u.dest()));
      }
      IpvsDiff.applyTo(kernel, asKernel);
    }
  }

  private static IpvsDest local(IpvsDest d) {
    return new IpvsDest(d.key(), Forwarding.ofKernel(Forwarding.Method.LOCAL.code(), 0, 0, 0), d.weight(),
        d.upperThreshold(), d.lowerThreshold());
  }

  private static Map<ServiceKey, IpvsDiff.Table> desired(int ownWeight) {
    Map<RealServerKey, IpvsDest> dests = new LinkedHashMap<>();
    dests.put(new RealServerKey(OWN, 80), IpvsDest.of(OWN, 80, Forwarding.DR, ownWeight));
    dests.put(new RealServerKey(REMOTE, 80), IpvsDest.of(REMOTE, 80, Forwarding.DR, 1));
    Map<ServiceKey, IpvsDiff.Table> m = new LinkedHashMap<>();
    m.put(WEB, new IpvsDiff.Table(IpvsService.of(WEB, Scheduler.RR), dests));
    return m;
  }

  @Test
  void localDest_afterItsAdd_needsNoUpdateOnTheNextReconcile() {
    Map<ServiceKey, IpvsDiff.Table> kernel = new LinkedHashMap<>();
    List<IpvsOp> first = IpvsDiff.compute(kernel, desired(1), Set.of(WEB));
    assertThat(first).hasSize(3);
    kernelApply(kernel, first);
    assertThat(kernel.get(WEB).dests().get(new RealServerKey(OWN, 80)).forwarding().method())
        .isEqualTo(Forwarding.Method.LOCAL);

    // every later reconcile against the re-read kernel table must be a no-op, not an UpdateDest loop
    for (int round = 0; round < 3; round++) {
      List<IpvsOp> again = IpvsDiff.compute(kernel, desired(1), Set.of(WEB));
      assertThat(again).as("reconcile %d", round).isEmpty();
      kernelApply(kernel, again);
    }
  }

  @Test
  void localDest_weightChange_isStillOneUpdate() {
    Map<ServiceKey, IpvsDiff.Table> kernel = new LinkedHashMap<>();
    kernelApply(kernel, IpvsDiff.compute(kernel, desired(1), Set.of(WEB)));
    List<IpvsOp> ops = IpvsDiff.compute(kernel, desired(5), Set.of(WEB));
    assertThat(ops).containsExactly(new IpvsOp.UpdateDest(WEB, IpvsDest.of(OWN, 80, Forwarding.DR, 5)));
    kernelApply(kernel, ops);
    assertThat(IpvsDiff.compute(kernel, desired(5), Set.of(WEB))).isEmpty();
  }

  @Test
  void remoteDest_reportedWithAnotherMethod_isUpdated() {
    Map<ServiceKey, IpvsDiff.Table> kernel = new LinkedHashMap<>();
    kernelApply(kernel, IpvsDiff.compute(kernel, desired(1), Set.of(WEB)));
    kernel.get(WEB).dests().put(new RealServerKey(REMOTE, 80), IpvsDest.of(REMOTE, 80, Forwarding.NAT, 1));
    assertThat(IpvsDiff.compute(kernel, desired(1), Set.of(WEB)))
        .containsExactly(new IpvsOp.UpdateDest(WEB, IpvsDest.of(REMOTE, 80, Forwarding.DR, 1)));
  }
}

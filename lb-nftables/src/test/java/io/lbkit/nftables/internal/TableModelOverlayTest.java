package io.lbkit.nftables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.net.Inet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The copy-on-write view NftablesIpvs changes instead of copying the whole table. */
class TableModelOverlayTest {
  static final ServiceKey.Inet A = (ServiceKey.Inet) ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.1"), 80);
  static final ServiceKey.Inet B = (ServiceKey.Inet) ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.2"), 80);
  static final RealServerKey R = RealServerKey.of("198.51.100.1", 8080);

  static TableModel twoServices() {
    TreeMap<RealServerKey, Integer> w = new TreeMap<>(Map.of(R, 1));
    return new TableModel(Map.of(A, new TableModel.Svc("rr", w), B, new TableModel.Svc("wrr", new TreeMap<>())));
  }

  @Test
  void overlay_changes_leaveTheBaseAlone_andReadThroughTheRest() {
    TableModel base = twoServices();
    TableModel next = base.overlay();
    assertThat(next.apply(new IpvsOp.UpdateDest(A, IpvsDest.of(R.address(), 8080, Forwarding.NAT, 5)))).isNull();
    assertThat(next.apply(new IpvsOp.DeleteService(B))).isNull();
    assertThat(next.get(A).weights()).containsEntry(R, 5);
    assertThat(next.get(B)).isNull();
    assertThat(next.services()).containsOnlyKeys(A);
    assertThat(base.get(A).weights()).containsEntry(R, 1);
    assertThat(base.get(B)).isNotNull();
  }

  @Test
  void overlay_refusesLikeTheModel_deletedServiceIsGone_existingIsEexist() {
    TableModel next = twoServices().overlay();
    assertThat(next.apply(new IpvsOp.DeleteService(B))).isNull();
    assertThat(next.apply(new IpvsOp.DeleteService(B)).errno()).isEqualTo(Errno.ESRCH);
    assertThat(next.apply(new IpvsOp.AddService(IpvsService.of(A, Scheduler.RR))).errno()).isEqualTo(Errno.EEXIST);
    assertThat(next.apply(new IpvsOp.AddService(IpvsService.of(B, Scheduler.RR)))).isNull();
    assertThat(next.get(B).scheduler()).isEqualTo("rr");
  }

  @Test
  void put_committedService_changesTheModelInPlace() {
    TableModel base = twoServices();
    TableModel next = base.overlay();
    next.apply(new IpvsOp.DeleteDest(A, R));
    base.put(A, next.get(A));
    base.put(B, null);
    assertThat(base.get(A).weights()).isEmpty();
    assertThat(base.services()).containsOnlyKeys(A);
    assertThat(base.snapshot()).hasSize(1);
  }
}

package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Route;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerSpecBuilderTest {
  final VirtualService web = VirtualService.tcp("192.0.2.200", 80).rr().dr().add(RealServer.of("198.51.100.61", 80));
  final VrrpInstanceSpec vi = VrrpInstanceSpec.builder("VI_1", "eth0", 51).authPass("1111")
      .virtualAddresses(List.of(VirtualAddress.of("192.0.2.200"))).build();

  @Test
  void builder_empty_equalsOfNoServices() {
    assertThat(LoadBalancerSpec.builder().build()).isEqualTo(LoadBalancerSpec.of(List.of()));
    assertThat(LoadBalancerSpec.builder().build().globals()).isEqualTo(GlobalDefs.DEFAULT);
  }

  @Test
  void builder_setsEachPart_andToBuilderChangesOnlyWhatIsSet() {
    Route r = Route.via("10.1.0.0/16", "192.0.2.254");
    LoadBalancerSpec spec = LoadBalancerSpec.builder().virtualServices(List.of(web)).vrrpInstances(List.of(vi))
        .staticAddresses(Map.of("eth0", List.of(IfAddress.parse("192.0.2.10/24")))).build();
    assertThat(spec).isEqualTo(LoadBalancerSpec.of(List.of(web)).withVrrpInstances(List.of(vi)).toBuilder()
        .staticAddresses(Map.of("eth0", List.of(IfAddress.parse("192.0.2.10/24")))).build());
    LoadBalancerSpec more = spec.toBuilder().staticRoutes(List.of(r)).build();
    assertThat(more.staticRoutes()).containsExactly(r);
    assertThat(more.virtualServices()).containsExactly(web);
    assertThat(more.vrrpInstances()).containsExactly(vi);
    assertThat(spec.staticRoutes()).as("the original is unchanged").isEmpty();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void build_copiesTheLists_andNullPartsAreRejectedByName() {
    List<VirtualService> l = new ArrayList<>(List.of(web));
    LoadBalancerSpec spec = LoadBalancerSpec.builder().virtualServices(l).build();
    l.clear();
    assertThat(spec.virtualServices()).containsExactly(web);
    assertThatThrownBy(() -> LoadBalancerSpec.builder().staticRoutes(null)).hasMessage("staticRoutes");
  }
}

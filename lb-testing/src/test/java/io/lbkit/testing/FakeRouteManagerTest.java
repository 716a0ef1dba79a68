package io.lbkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.net.Route;
import org.junit.jupiter.api.Test;

/** What the fake adds to the port for tests: the routes it holds and a log of changes. */
class FakeRouteManagerTest {
  final FakeRouteManager routes = new FakeRouteManager("eth0").addAddress("eth0", "192.168.0.10/24");

  @Test
  void routesAndLog_showOnlyWhatChanged() throws Exception {
    Route a = Route.via("10.1.0.0/16", "192.168.0.254");
    Route b = Route.dev("10.2.0.0/16", "eth0");
    routes.add(a);
    routes.add(b);
    routes.add(Route.via("10.1.0.0/16", "192.168.0.253"));
    routes.remove(a);
    routes.remove(a);
    assertThat(routes.routes()).containsExactly(b);
    assertThat(routes.log()).containsExactly("add 10.1.0.0/16 via 192.168.0.254", "add 10.2.0.0/16 dev eth0",
        "del 10.1.0.0/16 via 192.168.0.254");
  }

  @Test
  void addAddress_unknownInterface_isRejectedByName() {
    assertThatThrownBy(() -> routes.addAddress("eth9", "192.168.1.1/24")).hasMessageContaining("eth9");
  }
}

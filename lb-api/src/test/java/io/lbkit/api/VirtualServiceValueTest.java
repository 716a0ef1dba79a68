package io.lbkit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** VirtualService is a value: every setting takes part in equality, and a fluent call changes only its own. */
class VirtualServiceValueTest {
  static final VirtualService BASE = VirtualService.udp("192.0.2.200", 53).rr().dr()
      .add(RealServer.of("198.51.100.61", 53));

  @Test
  void everySetting_changesEquality_andOnlyItsOwnAccessor() {
    List<UnaryOperator<VirtualService>> changes = List.of(VirtualService::wlc, v -> v.sh().flags(SchedulerFlag.SH_PORT),
        VirtualService::nat, v -> v.persistent(300), VirtualService::onePacket,
        v -> v.add(RealServer.of("198.51.100.62", 53)), v -> v.sorryServer(RealServer.of("198.51.100.9", 53)),
        v -> v.sorryServerInhibit(true), v -> v.quorum(2, 1), v -> v.delayLoop(Duration.ofSeconds(7)),
        v -> v.alpha(true), v -> v.omega(true), v -> v.quorumUpCommand("/bin/up"), v -> v.quorumDownCommand("/bin/down"),
        v -> v.haSuspend(true));
    for (UnaryOperator<VirtualService> c : changes) {
      VirtualService changed = c.apply(BASE);
      assertThat(changed).as("changed by %s", changed).isNotEqualTo(BASE);
      assertThat(c.apply(BASE)).isEqualTo(changed).hasSameHashCodeAs(changed);
      assertThat(changed.key()).isEqualTo(BASE.key());
    }
    VirtualService all = BASE.quorumUpCommand("/bin/up").alpha(true).delayLoop(Duration.ofSeconds(7));
    assertThat(all.quorumUpCommand()).contains("/bin/up");
    assertThat(all.isAlpha()).isTrue();
    assertThat(all.delayLoop()).isEqualTo(Duration.ofSeconds(7));
    assertThat(all.scheduler()).isEqualTo(Scheduler.RR);
    assertThat(all.forwarding()).isEqualTo(Forwarding.DR);
    assertThat(all.realServers()).hasSize(1);
    assertThat(all.quorumDownCommand()).isEmpty();
  }

  @Test
  void schedulerChange_dropsFlagsThatNoLongerApply() {
    VirtualService sh = BASE.sh().flags(SchedulerFlag.SH_PORT);
    assertThat(sh.schedulerFlags()).containsExactly(SchedulerFlag.SH_PORT);
    assertThat(sh.rr().schedulerFlags()).isEmpty();
  }
}

package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.LoadBalancerStatus;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.internal.ChecksumForm;
import io.lbkit.vrrp.internal.VrrpCodec;
import io.lbkit.vrrp.internal.VrrpPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16 point 7: every drop reason is counted, shown in the status and logged rate-limited. */
class VrrpDropVisibilityTest {
  static final InetAddress B = Inet.parse("10.0.0.2");
  static final InetAddress EVIL = Inet.parse("10.0.0.66");
  static final InetAddress GROUP = Inet.parse("224.0.0.18");

  final ManualClock clock = new ManualClock();
  final InMemoryVrrpNetwork net = new InMemoryVrrpNetwork(clock, Duration.ZERO);
  final List<String> logged = new ArrayList<>();

  VrrpFailover failover() throws Exception {
    VrrpFailover f = VrrpFailover.create(() -> VrrpRouter.builder(net.host(B), new FakeAddressManager("eth0"), clock)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).dropLog(logged::add));
    f.setInstances(List.of(VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(100)
        .virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build()), List.of());
    return f;
  }

  VrrpTransport.Channel attacker() throws java.io.IOException {
    return net.host(EVIL).open("eth0", Family.INET, GROUP, null, (ByteBuffer b, InetAddress s, InetAddress d, int t) -> {
    });
  }

  static byte[] advert(int vrid, List<InetAddress> addresses) {
    byte[] auth = new byte[8];
    return VrrpCodec.encode(new VrrpPacket(2, vrid, 200, 100, addresses, VrrpPacket.AUTH_NONE, auth), EVIL, GROUP,
        ChecksumForm.PLAIN);
  }

  @Test
  void flood_badChecksum_counts10000_logsAtMostTwoLines_showsInStatus() throws Exception {
    VrrpFailover f = failover();
    byte[] bad = advert(51, List.of(Inet.parse("10.0.0.100")));
    bad[7] ^= 1; // wrong checksum
    VrrpTransport.Channel evil = attacker();
    for (int i = 0; i < 10_000; i++) {
      evil.send(GROUP, bad);
      if (i % 100 == 0) {
        clock.advance(Duration.ofMillis(50)); // the flood lasts 5 s: within one rate-limit window
      }
    }
    clock.advance(Duration.ofMillis(1));
    assertThat(f.router().instance("VI_1").counters()).containsEntry("dropped_checksum", 10_000L);
    assertThat(logged).hasSizeBetween(1, 2);
    assertThat(logged.get(0)).contains("VI_1").contains("checksum");
    assertThat(f.status().get("VI_1").drops()).isEqualTo(Map.of("checksum", 10_000L));
    assertThat(new LoadBalancerStatus(f.status(), List.of()).toJson()).contains("\"drops\":{\"checksum\":10000}");
    f.close();
  }

  @Test
  void flood_addressListMismatch_notOneWarnPerPacket_summaryOncePerMinute() throws Exception {
    VrrpFailover f = failover();
    byte[] other = advert(51, List.of(Inet.parse("10.0.0.101")));
    VrrpTransport.Channel evil = attacker();
    for (int i = 0; i < 10_000; i++) {
      evil.send(GROUP, other);
      if (i % 100 == 0) {
        clock.advance(Duration.ofMillis(1_500)); // 150 s of flood: the first line, then at most one per minute
      }
    }
    clock.advance(Duration.ofMillis(1));
    assertThat(f.router().instance("VI_1").counters()).containsEntry("dropped_address_list", 10_000L);
    assertThat(logged).hasSizeBetween(2, 3);
    assertThat(logged.get(1)).contains("address_list").contains("in the last");
    f.close();
  }

  @Test
  void unknownVrid_countedPerInterface_inStatus() throws Exception {
    VrrpFailover f = failover();
    VrrpTransport.Channel evil = attacker();
    byte[] vrid99 = advert(99, List.of(Inet.parse("10.0.0.199")));
    for (int i = 0; i < 1_000; i++) {
      evil.send(GROUP, vrid99);
    }
    clock.advance(Duration.ofMillis(1));
    assertThat(f.router().unmatchedDrops()).isEqualTo(Map.of("eth0", Map.of("vrid", 1_000L)));
    assertThat(f.unmatchedDrops()).isEqualTo(Map.of("eth0", Map.of("vrid", 1_000L)));
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0)).contains("eth0").contains("VRID 99");
    f.close();
  }
}

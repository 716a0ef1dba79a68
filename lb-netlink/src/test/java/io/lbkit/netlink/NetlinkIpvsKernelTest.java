package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.kernel.UnknownSchedulerException;
import io.lbkit.api.net.Inet;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Inside the kernel VM: what the contract does not cover (namespaces, sync daemons, missing modules). */
@Tag("kernel")
class NetlinkIpvsKernelTest {
  private static final Duration T = Duration.ofSeconds(30);
  private static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Inet.parse("192.0.2.200"), 80);

  @Test
  void openInNamespace_hasItsOwnTable_andRunsSyncDaemonsThere() throws Exception {
    Tiers.requireIpvs();
    Tiers.requireRoot("creates a network namespace");
    String ns = "lbt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
    Exec.run(T, "ip", "netns", "add", ns).orThrow();
    try {
      Exec.run(T, "ip", "-n", ns, "link", "add", "d0", "type", "dummy").orThrow();
      Exec.run(T, "ip", "-n", ns, "link", "set", "d0", "multicast", "on", "up").orThrow();
      try (NetlinkIpvs inNs = NetlinkIpvs.open(ns); NetlinkIpvs root = NetlinkIpvs.open()) {
        root.flush();
        inNs.addService(IpvsService.of(WEB, Scheduler.RR));
        assertThat(inNs.services()).hasSize(1);
        assertThat(root.services()).isEmpty();

        SyncDaemon d = new SyncDaemon(SyncDaemon.Role.MASTER, "d0", 9, 1400, Inet.parse("239.1.2.3"), 8849, 2);
        inNs.startSyncDaemon(d);
        try {
          assertThat(inNs.syncDaemons()).containsExactly(d);
          assertThat(root.syncDaemons()).isEmpty();
          String ipvsadm = Exec.run(T, "ip", "netns", "exec", ns, "ipvsadm", "-L", "--daemon").orThrow().stdout();
          assertThat(ipvsadm).isEqualTo(
              "master sync daemon (mcast=d0, syncid=9, maxlen=1400, group=239.1.2.3, port=8849, ttl=2)\n");
          assertThat(IpvsadmFormat.daemons(inNs.syncDaemons())).isEqualTo(ipvsadm);
          // a backup with the kernel's defaults, started by ipvsadm: lbkit renders what ipvsadm lists
          Exec.run(T, "ip", "netns", "exec", ns, "ipvsadm", "--start-daemon", "backup", "--mcast-interface", "d0",
              "--syncid", "4").orThrow();
          String both = Exec.run(T, "ip", "netns", "exec", ns, "ipvsadm", "-L", "--daemon").orThrow().stdout();
          assertThat(both).contains("backup sync daemon (mcast=d0, syncid=4");
          assertThat(IpvsadmFormat.daemons(inNs.syncDaemons())).isEqualTo(both);
          inNs.stopSyncDaemon(SyncDaemon.Role.BACKUP);
        } finally {
          inNs.stopSyncDaemon(SyncDaemon.Role.MASTER);
        }
        assertThat(inNs.syncDaemons()).isEmpty();
        inNs.flush();
      }
      // the calling thread came back to its own namespace
      assertThat(Exec.run(T, "readlink", "/proc/self/ns/net").orThrow().stdout())
          .isEqualTo(Exec.run(T, "readlink", "/proc/1/ns/net").orThrow().stdout());
    } finally {
      Exec.run(T, "ip", "netns", "del", ns);
    }
  }

  @Test
  void schedulerOrPersistenceEngineNotLoaded_isUnknownScheduler() throws Exception {
    Tiers.requireIpvs();
    try (NetlinkIpvs ipvs = NetlinkIpvs.open()) {
      ipvs.flush();
      List<String> modules = List.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/modules"))
          .split("\n"));
      if (modules.stream().noneMatch(m -> m.startsWith("ip_vs_twos "))) {
        assertThatThrownBy(() -> ipvs.addService(IpvsService.of(WEB, Scheduler.TWOS)))
            .isInstanceOf(UnknownSchedulerException.class).hasMessageContaining("ENOENT");
      }
      if (modules.stream().noneMatch(m -> m.startsWith("ip_vs_pe_sip "))) {
        ServiceKey udp = ServiceKey.of(Protocol.UDP, Inet.parse("192.0.2.9"), 5060);
        assertThatThrownBy(() -> ipvs.addService(new IpvsService(udp, Scheduler.RR, Set.of(),
            Persistence.of(60).withEngine("sip"), false))).isInstanceOf(UnknownSchedulerException.class);
      }
      assertThat(ipvs.services()).isEmpty();
    }
  }
}

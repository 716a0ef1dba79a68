package io.lbkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.ipvs.SyncDaemon;
import io.lbkit.api.ipvs.SyncDaemon.Role;
import io.lbkit.api.kernel.Errno;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.FakeIpvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** global_defs' lvs_sync_daemon: the IPVS sync daemons follow the named VRRP instance's role, as in keepalived. */
class SyncDaemonRuntimeTest {
  static final String SYNC = "  lvs_sync_daemon eth1 VI_1 maxlen 1400 port 8849 ttl 2 group 239.1.2.3";
  @TempDir Path dir;

  static String[] conf(String sync, int priority) {
    return new String[] {"global_defs {", sync, "}", "vrrp_instance VI_1 {", "  interface eth0",
        "  virtual_router_id 51", "  priority " + priority, "  advert_int 1", "  virtual_ipaddress {", "    10.0.0.100",
        "  }", "}"};
  }

  /** The configured daemon in this role: syncid defaults to VI_1's VRID 51, as keepalived. */
  static SyncDaemon daemon(Role r) {
    return new SyncDaemon(r, "eth1", 51, 1400, Inet.parse("239.1.2.3"), 8849, 2);
  }

  /**
   * The daemons in {@code ipvs} once they equal {@code want}, or after 10 s: VRRP tells transitions on its notify
   * thread, which then switches the daemons.
   */
  static List<SyncDaemon> settled(FakeIpvs ipvs, SyncDaemon... want) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<SyncDaemon> now = ipvs.syncDaemons();
    while (!new java.util.HashSet<>(now).equals(java.util.Set.of(want)) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      now = ipvs.syncDaemons();
    }
    return now;
  }

  @Test
  void daemon_backupAtStart_masterOnceMaster_backupAgainInFault_noneAfterClose() throws Exception {
    Lab lab = new Lab(dir);
    AtomicBoolean link = new AtomicBoolean(true);
    LoadBalancerRuntime lb = lab.builder().linkStatus(iface -> link.get()).start(lab.conf(conf(SYNC, 100)));
    try {
      assertThat(lab.ipvs.syncDaemons()).as("INIT/BACKUP: keepalived's vrrp_init_state starts the backup daemon")
          .containsExactly(daemon(Role.BACKUP));
      assertThat(lab.applied.get(0).network()).contains("lvs_sync_daemon: backup sync daemon (mcast=eth1, "
          + "syncid=51, maxlen=1400, group=239.1.2.3, port=8849, ttl=2) started");
      assertThat(lab.applied.get(0).failures()).isEmpty();

      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(settled(lab.ipvs, daemon(Role.MASTER))).as("MASTER: backup stopped, master started")
          .containsExactly(daemon(Role.MASTER));

      link.set(false);
      lab.clock.advance(Duration.ofSeconds(3));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.FAULT);
      assertThat(settled(lab.ipvs, daemon(Role.BACKUP))).as("leaving MASTER for FAULT: master stopped, backup started")
          .containsExactly(daemon(Role.BACKUP));
    } finally {
      lb.close();
    }
    assertThat(lab.ipvs.syncDaemons()).isEmpty();
  }

  @Test
  void twoDirectors_masterSendsBackupReceives_takeoverSwapsTheRoles() throws Exception {
    Lab lab = new Lab(dir);
    FakeIpvs ipvsB = new FakeIpvs();
    Path confB = Files.writeString(dir.resolve("b.conf"), String.join("\n", conf(SYNC, 100)) + "\n");
    LoadBalancerRuntime a = lab.builder().start(lab.conf(conf(SYNC, 150)));
    LoadBalancerRuntime b = LoadBalancerRuntime.builder().timers(lab.clock).ipvs(ipvsB)
        .addresses(new FakeAddressManager("eth0", "eth1")).routes(new TestRoutes())
        .vrrpTransport(lab.net.host(Inet.parse("10.0.0.2"))).healthChecking(lab.checks::attach)
        .linkStatus(iface -> true).start(confB);
    try {
      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(a.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(b.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.BACKUP);
      assertThat(settled(lab.ipvs, daemon(Role.MASTER))).containsExactly(daemon(Role.MASTER));
      assertThat(settled(ipvsB, daemon(Role.BACKUP))).containsExactly(daemon(Role.BACKUP));

      a.close(); // priority 0: B takes over at once
      lab.clock.advance(Duration.ofSeconds(2));
      assertThat(b.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(lab.ipvs.syncDaemons()).as("the old master stopped its daemon").isEmpty();
      assertThat(settled(ipvsB, daemon(Role.MASTER))).containsExactly(daemon(Role.MASTER));
    } finally {
      a.close();
      b.close();
    }
    assertThat(ipvsB.syncDaemons()).isEmpty();
  }

  @Test
  void kernelRefusal_isAFailureWithOperationAndErrno_runtimeGoesOn_nextTransitionStartsIt() throws Exception {
    Lab lab = new Lab(dir);
    lab.ipvs.failNext(Errno.ENODEV);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(conf(SYNC, 100)))) {
      assertThat(lab.applied.get(0).failures()).singleElement().asString()
          .startsWith("lvs_sync_daemon: IPVS get sync daemons: ").contains("ENODEV");
      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(lb.status().vrrp().get("VI_1").state()).isEqualTo(VrrpState.MASTER);
      assertThat(settled(lab.ipvs, daemon(Role.MASTER))).containsExactly(daemon(Role.MASTER));
    }
  }

  @Test
  void leftoverDaemonOfTheSameConfiguration_isKept_anotherOneIsRestarted() throws Exception {
    Lab lab = new Lab(dir);
    lab.ipvs.startSyncDaemon(daemon(Role.BACKUP)); // left by a run killed with SIGKILL
    lab.ipvs.startSyncDaemon(SyncDaemon.of(Role.MASTER, "eth9", 3)); // a master: this host is not MASTER
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(conf(SYNC, 100)))) {
      assertThat(lab.ipvs.syncDaemons()).containsExactly(daemon(Role.BACKUP));
      assertThat(lab.applied.get(0).network()).containsExactly("lvs_sync_daemon: master sync daemon stopped",
          "lvs_sync_daemon: backup sync daemon (mcast=eth1, syncid=51, maxlen=1400, group=239.1.2.3, port=8849, "
              + "ttl=2) kept (already running)");

      lb.reload(lab.conf(conf("  lvs_sync_daemon eth1 VI_1 id 7", 100)));
      assertThat(lab.ipvs.syncDaemons()).as("a changed configuration restarts the daemon")
          .containsExactly(SyncDaemon.of(Role.BACKUP, "eth1", 7));

      Changes c = lb.reload(lab.conf(conf("", 100)));
      assertThat(c.network()).containsExactly("lvs_sync_daemon: backup sync daemon stopped");
      assertThat(lab.ipvs.syncDaemons()).as("lvs_sync_daemon removed").isEmpty();
    }
  }

  @Test
  void leftoverWithTheKernelsDefaultsFilledIn_matchesAConfigWithoutThem_isKept() throws Exception {
    Lab lab = new Lab(dir);
    // how the kernel lists `lvs_sync_daemon eth1 VI_1` (seen in the VM: ipvsadm -L --daemon after lbctl run)
    SyncDaemon listed = new SyncDaemon(Role.BACKUP, "eth1", 51, 1472, Inet.parse("224.0.0.81"), 8848, 1);
    lab.ipvs.startSyncDaemon(listed);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(conf("  lvs_sync_daemon eth1 VI_1", 100)))) {
      assertThat(lab.ipvs.syncDaemons()).containsExactly(listed);
      assertThat(lab.applied.get(0).network()).containsExactly("lvs_sync_daemon: backup sync daemon (mcast=eth1, "
          + "syncid=51, maxlen=1472, group=224.0.0.81, port=8848, ttl=1) kept (already running)");
      assertThat(SyncDaemons.matches(SyncDaemon.of(Role.BACKUP, "eth1", 51), listed)).isTrue();
      assertThat(SyncDaemons.matches(daemon(Role.BACKUP), listed)).as("maxlen 1400 configured").isFalse();
      assertThat(SyncDaemons.matches(SyncDaemon.of(Role.MASTER, "eth1", 51), listed)).isFalse();
      assertThat(SyncDaemons.matches(SyncDaemon.of(Role.BACKUP, "eth1", 52), listed)).isFalse();
    }
  }

  @Test
  void withoutAnInstance_bothDaemonsRunFromStartToStop_likeKeepalivedsCheckerProcess() throws Exception {
    Lab lab = new Lab(dir);
    try (LoadBalancerRuntime lb = lab.builder().start(lab.conf(conf("  lvs_sync_daemon eth1 id 4", 100)))) {
      assertThat(lab.ipvs.syncDaemons()).containsExactlyInAnyOrder(SyncDaemon.of(Role.MASTER, "eth1", 4),
          SyncDaemon.of(Role.BACKUP, "eth1", 4));
      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(lab.ipvs.syncDaemons()).hasSize(2);
    }
    assertThat(lab.ipvs.syncDaemons()).isEmpty();
  }

  @Test
  void nftablesDataplane_startsNoDaemon_andSaysWhy() throws Exception {
    Lab lab = new Lab(dir);
    // no virtual servers and no table given: nothing of the host's nf_tables is opened
    LoadBalancerRuntime.Builder b = LoadBalancerRuntime.builder().timers(lab.clock).dataplane(Dataplane.NFTABLES)
        .addresses(lab.addresses).routes(lab.routes).vrrpTransport(lab.net.host(Inet.parse("10.0.0.1")))
        .linkStatus(iface -> true);
    List<Changes> applied = new java.util.ArrayList<>();
    b.listener(new RuntimeListener() {
      @Override
      public void applied(Changes c) {
        applied.add(c);
      }
    });
    try (LoadBalancerRuntime lb = b.start(lab.conf(conf(SYNC, 100)))) {
      assertThat(applied.get(0).failures()).singleElement().asString().startsWith("lvs_sync_daemon eth1 inst VI_1: "
          + "not started: the nftables dataplane has no IPVS connection sync");
      lab.clock.advance(Duration.ofSeconds(5));
      assertThat(lb.status().vrrp().get("VI_1").state()).as("VRRP runs regardless").isEqualTo(VrrpState.MASTER);
      assertThat(lb.dataplane()).isEqualTo(Dataplane.NFTABLES);
    }
  }
}

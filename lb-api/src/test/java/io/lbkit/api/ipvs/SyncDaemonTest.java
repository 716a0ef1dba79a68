package io.lbkit.api.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.ipvs.SyncDaemon.Role;
import io.lbkit.api.net.Inet;
import org.junit.jupiter.api.Test;

/** The kernel's defaults as start_sync_thread (net/netfilter/ipvs/ip_vs_sync.c) fills them in. */
class SyncDaemonTest {
  @Test
  void withKernelDefaults_unsetOptions_groupPortTtlAndMtuLessHeaders() {
    assertThat(SyncDaemon.of(Role.MASTER, "eth0", 3).withKernelDefaults(9000))
        .as("a master sends 1500-byte packets whatever the link")
        .isEqualTo(new SyncDaemon(Role.MASTER, "eth0", 3, 1472, Inet.parse("224.0.0.81"), 8848, 1));
    assertThat(SyncDaemon.of(Role.BACKUP, "eth0", 3).withKernelDefaults(9000).maxPacketLength()).isEqualTo(8972);
    assertThat(SyncDaemon.of(Role.BACKUP, "eth0", 3).withKernelDefaults(1280).maxPacketLength())
        .as("a link below 1500 counts as 1500").isEqualTo(1472);
    assertThat(SyncDaemon.of(Role.BACKUP, "lo", 3).withKernelDefaults(65536).maxPacketLength()).isEqualTo(65507);
  }

  @Test
  void withKernelDefaults_ipv6Group_has48BytesOfHeaders() {
    SyncDaemon d = new SyncDaemon(Role.MASTER, "eth0", 3, 0, Inet.parse("ff02::81"), 0, 0).withKernelDefaults(1500);
    assertThat(d).isEqualTo(new SyncDaemon(Role.MASTER, "eth0", 3, 1452, Inet.parse("ff02::81"), 8848, 1));
    assertThat(new SyncDaemon(Role.MASTER, "eth0", 3, 65535, Inet.parse("ff02::81"), 0, 0).withKernelDefaults(1500)
        .maxPacketLength()).isEqualTo(65487);
  }

  @Test
  void withKernelDefaults_givenLength_clampedAndABackupsAtLeast1024() {
    assertThat(new SyncDaemon(Role.MASTER, "eth0", 3, 500, null, 8849, 2).withKernelDefaults(1500))
        .isEqualTo(new SyncDaemon(Role.MASTER, "eth0", 3, 500, Inet.parse("224.0.0.81"), 8849, 2));
    assertThat(new SyncDaemon(Role.BACKUP, "eth0", 3, 500, null, 0, 0).withKernelDefaults(1500).maxPacketLength())
        .isEqualTo(1024);
    assertThat(new SyncDaemon(Role.BACKUP, "eth0", 3, 65535, null, 0, 0).withKernelDefaults(1500).maxPacketLength())
        .isEqualTo(65507);
  }
}

package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.GlobalDefs;
import io.lbkit.harness.Tiers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** global_defs values that were once lost on export: the sync daemon's instance, lvs_flush_on_stop VS, script group. */
class GlobalDefsTest {
  private static final String CONF = String.join("\n",
      "global_defs {",
      "  router_id lb1",
      "  lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1400",
      "  lvs_flush_on_stop VS",
      "  script_user nobody nogroup",
      "  startup_script \"/usr/local/bin/start.sh --now\" nobody",
      "  vrrp_garp_master_delay 10",
      "  vrrp_garp_master_refresh 60",
      "  disable_local_igmp",
      "}",
      "vrrp_instance VI_1 {",
      "  interface eth0",
      "  virtual_router_id 51",
      "}",
      "");

  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  @Test
  void syncDaemonInstance_flushOnStopVs_scriptGroup_andQuotedScripts_areCarried() {
    KeepalivedConfig c = parse(CONF);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    GlobalDefs g = c.spec().globals();
    assertThat(g.syncDaemon().interfaceName()).isEqualTo("eth0");
    assertThat(g.syncDaemon().syncId()).isEqualTo(5);
    assertThat(g.syncDaemonInstance()).isEqualTo("VI_1");
    assertThat(g.lvsFlushOnStop()).isTrue();
    assertThat(g.lvsFlushOnStopVs()).isTrue();
    assertThat(g.scriptUser()).isEqualTo("nobody");
    assertThat(g.scriptGroup()).isEqualTo("nogroup");
    assertThat(g.other()).containsEntry("startup_script", "\"/usr/local/bin/start.sh --now\" nobody")
        .containsEntry("vrrp_garp_master_refresh", "60").containsEntry("disable_local_igmp", "");
  }

  @Test
  void syncDaemon_startedByTheRuntime_isNotWarned_anUndefinedInstanceIs() {
    // LoadBalancerRuntime runs the daemons (lb-runtime's SyncDaemonRuntimeTest): a complete line says nothing
    KeepalivedConfig c = parse("global_defs {\n lvs_sync_daemon eth1 VI_2 id 7\n}\nvrrp_instance VI_2 {\n"
        + " interface eth1\n virtual_router_id 2\n}\n");
    assertThat(c.hasErrors()).isFalse();
    assertThat(c.diagnostics()).noneMatch(d -> d.line() == 2);
    // keepalived clears lvs_sync_daemon without its instance: the line is warned
    KeepalivedConfig missing = parse("global_defs {\n lvs_sync_daemon eth1 VI_2 id 7\n}\n");
    assertThat(missing.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 2
        && d.message().contains("no vrrp_instance VI_2 is defined"));
  }

  @Test
  void syncDaemonInstance_withoutInst_isTheSecondWord() {
    GlobalDefs g = parse("global_defs {\n lvs_sync_daemon eth1 VI_2 id 7\n}\n").spec().globals();
    assertThat(g.syncDaemonInstance()).isEqualTo("VI_2");
    assertThat(g.syncDaemon().syncId()).isEqualTo(7);
  }

  @Test
  void globals_exportAndReimportEqual_andKeepalivedAcceptsThem() throws Exception {
    KeepalivedConfig c = parse(CONF);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1400", "lvs_flush_on_stop VS\n",
        "script_user nobody nogroup\n", "startup_script \"/usr/local/bin/start.sh --now\" nobody\n");
    assertThat(parse(text).spec()).isEqualTo(c.spec());
    Tiers.requireProgram("keepalived");
    KeepalivedOracle.assertAccepted(text);
  }

  @Test
  void syncId_defaultsToTheInstancesVrid_likeKeepalived() {
    KeepalivedConfig c = parse("global_defs {\n lvs_sync_daemon eth0 VI_1\n}\nvrrp_instance VI_1 {\n interface eth0\n"
        + " virtual_router_id 51\n}\n");
    assertThat(c.spec().globals().syncDaemon().syncId()).isEqualTo(51);
    assertThat(KeepalivedConfig.export(c.spec())).contains("lvs_sync_daemon eth0 inst VI_1 id 51\n");
  }

  @Test
  void syncDaemonOfAnUnknownInstance_isWarned() {
    KeepalivedConfig c = parse("global_defs {\n lvs_sync_daemon eth0 VI_X\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 2 && d.message().contains("VI_X"));
    assertThat(c.spec().globals().syncDaemon().syncId()).isZero();
  }

  @Test
  void instancesLvsSyncDaemonInterface_becomesTheGlobalSyncDaemon() {
    KeepalivedConfig c = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 9\n"
        + " lvs_sync_daemon_interface eth1\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 4 && d.message().contains("deprecated"));
    GlobalDefs g = c.spec().globals();
    assertThat(g.syncDaemon().interfaceName()).isEqualTo("eth1");
    assertThat(g.syncDaemon().syncId()).isEqualTo(9);
    assertThat(g.syncDaemonInstance()).isEqualTo("VI_1");
  }
}

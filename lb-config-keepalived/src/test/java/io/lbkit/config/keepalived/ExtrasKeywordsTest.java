package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.vrrp.TrackedObject;
import io.lbkit.api.vrrp.VrrpExtras;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.harness.Tiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The vrrp_instance keywords carried only for export (VrrpExtras): parsed, warned, exported, re-imported. */
class ExtrasKeywordsTest {
  static final Path EXTRAS = Path.of("src/test/resources/extras.conf");
  private static final KeepalivedConfig.Options OPTIONS = KeepalivedConfig.Options.defaults().withConfigId("x");

  private static KeepalivedConfig parse(String text) {
    return KeepalivedConfig.parse(text, "t.conf", Path.of("."), OPTIONS);
  }

  private static VrrpInstanceSpec instance(KeepalivedConfig c, String name) {
    return c.spec().vrrpInstances().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyExtrasKeyword_reachesTheSpecTyped() throws Exception {
    KeepalivedConfig c = KeepalivedConfig.parse(EXTRAS, OPTIONS);
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    VrrpExtras x = instance(c, "VI_EXTRAS").extras();
    assertThat(x.checkUnicastSource()).isTrue();
    assertThat(x.debug()).isEqualTo(OptionalInt.of(2));
    assertThat(x.dontTrackPrimary()).isTrue();
    assertThat(x.downTimerAdverts()).isEqualTo(OptionalInt.of(5));
    assertThat(x.garpExtraInterfaces()).isEqualTo(new VrrpExtras.GarpExtraIf(true, 100));
    assertThat(x.garpLowerPrioDelay()).isEqualTo(OptionalInt.of(10));
    assertThat(x.garpLowerPrioRepeat()).isEqualTo(OptionalInt.of(3));
    assertThat(x.garpMasterRefreshRepeat()).isEqualTo(OptionalLong.of(2));
    assertThat(x.higherPrioSendAdvert()).isEqualTo(Optional.of(true));
    assertThat(x.kernelRxBufSize()).isEqualTo(OptionalLong.of(65536));
    assertThat(x.linkbeatUsePolling()).isTrue();
    assertThat(x.lowerPrioNoAdvert()).isEqualTo(Optional.of(false));
    assertThat(x.notifyMasterRxLowerPri()).isEqualTo("/usr/local/bin/lower.sh VI_EXTRAS");
    assertThat(x.notifyPriorityChanges()).isEqualTo(Optional.of(true));
    assertThat(x.oldUnicastChecksum()).isEqualTo(VrrpExtras.OldUnicastChecksum.NEVER);
    assertThat(x.promoteSecondaries()).isTrue();
    assertThat(x.skipCheckAdvAddr()).isEqualTo(Optional.of(true));
    assertThat(x.strictMode()).isEqualTo(Optional.of(false));
    assertThat(x.trackBfd()).containsExactly(new TrackedObject("bfd_peer", OptionalInt.of(10), false,
        List.of("neighbor_ip 10.1.1.2", "min_rx 100", "multiplier 3")));
    assertThat(x.trackProcess()).containsExactly(new TrackedObject("haproxy", OptionalInt.of(-5), true,
        List.of("process haproxy", "weight 10", "quorum 1", "delay 2")));
    assertThat(x.trackSourceIp()).isTrue();
    assertThat(x.unicastFaultNoPeer()).isTrue();
    assertThat(x.unicastTtl()).isEqualTo(OptionalInt.of(64));
    assertThat(x.useVmacAddr()).isTrue();
    assertThat(x.vrf()).isEqualTo("red");
    assertThat(x.virtualRules()).containsExactly("from 192.168.2.0/24 table 1 priority 100",
        "to 192.168.3.0/24 table 1 no_track preference 101", "not from all fwmark 0x10/0xff lookup 5 priority 102");
    assertThat(instance(c, "VI_IPVLAN").extras().useIpvlan())
        .isEqualTo(new VrrpExtras.Ipvlan("ipv1", IfAddress.parse("10.1.2.7/24"), "private"));
    assertThat(instance(c, "VI_IPVLAN").extras().ahAuthPass()).isEqualTo("ah pass");
    assertThat(instance(c, "VI_IPVLAN").authPass()).isNull();
  }

  @Test
  void syncGroupKeywords_reachTheSpec() throws Exception {
    KeepalivedConfig c = KeepalivedConfig.parse(EXTRAS, OPTIONS);
    io.lbkit.api.vrrp.SyncGroupExtras g = c.spec().syncGroups().get(0).extras();
    assertThat(g.notifyStop()).isEqualTo("/usr/local/bin/g.sh stop");
    assertThat(g.notifyPriorityChanges()).hasValue(true);
    assertThat(g.smtpAlert()).hasValue(false);
    assertThat(g.trackingWeight()).isTrue();
    assertThat(g.trackInterfaces()).isEqualTo(java.util.Map.of("eth0", 5));
    assertThat(g.trackScripts()).isEqualTo(java.util.Map.of("chk_up", OptionalInt.of(-3)));
    assertThat(g.trackFiles()).isEqualTo(java.util.Map.of("tf_up", OptionalInt.of(-7)));
    assertThat(g.trackProcess()).extracting(TrackedObject::name).containsExactly("haproxy");
    assertThat(g.trackBfd()).containsExactly(new TrackedObject("bfd_peer", OptionalInt.of(2), false,
        List.of("neighbor_ip 10.1.1.2", "min_rx 100", "multiplier 3")));
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 86 && d.message().startsWith("track_interface in "
        + "vrrp_sync_group: carried (exported back), but lbkit's sync groups do not track interfaces yet"));
  }

  @Test
  void notifyDeletedInASyncGroup_isUnknown_likeKeepalived227() {
    KeepalivedConfig c = parse("vrrp_sync_group G {\n group {\n  V\n }\n notify_deleted\n}\n"
        + "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n}\n");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 5 && d.message().contains("notify_deleted"));
  }

  @Test
  void everyExtrasKeyword_isWarnedAtItsLineWithWhatLbkitDoesInstead() throws Exception {
    KeepalivedConfig c = KeepalivedConfig.parse(EXTRAS, OPTIONS);
    List<String> lines = Files.readAllLines(EXTRAS);
    for (int i = 0; i < lines.size() && !lines.get(i).startsWith("vrrp_sync_group"); i++) {
      String k = lines.get(i).strip().split("\\s+")[0];
      if (InstanceExtras.handles(k)) {
        int line = i + 1;
        assertThat(c.diagnostics()).as("line %d %s", line, k)
            .anyMatch(d -> d.line() == line && !d.isError() && d.message().startsWith(k + ": carried (exported back), "
                + "but lbkit"));
      }
    }
  }

  @Test
  void exportThenImport_keepsEveryExtra() throws Exception {
    KeepalivedConfig c = KeepalivedConfig.parse(EXTRAS, OPTIONS);
    String text = KeepalivedConfig.export(c.spec());
    assertThat(text).contains("vrrp_track_process haproxy {", "bfd_instance bfd_peer {", "garp_extra_if all 100",
        "old_unicast_checksum never", "lower_prio_no_advert false", "use_ipvlan ipv1 10.1.2.7/24 private",
        "haproxy weight -5 reverse", "auth_type AH\n    auth_pass \"ah pass\"", "notify_master_rx_lower_pri \"/usr/local/bin/lower.sh VI_EXTRAS\"");
    KeepalivedConfig back = parse(text);
    assertThat(back.diagnostics()).as(text).noneMatch(Diagnostic::isError);
    assertThat(back.spec().vrrpInstances()).isEqualTo(c.spec().vrrpInstances());
    assertThat(back.spec().syncGroups()).isEqualTo(c.spec().syncGroups());
  }

  @Test
  void exportedExtras_areAcceptedByKeepalived_butForItsLinkbeatDeprecation() throws Exception {
    Tiers.requireProgram("keepalived");
    KeepalivedConfig c = KeepalivedConfig.parse(EXTRAS, OPTIONS);
    String text = KeepalivedConfig.export(c.spec());
    KeepalivedOracle.Result k = KeepalivedOracle.checkText(text);
    assertThat(k.reports()).as("%s%n%s", text, String.join("\n", k.output()))
        .allMatch(r -> r.message().contains("'linkbeat_use_polling' in vrrp instance deprecated")).hasSize(1);
    // and the sync group's keywords too
    assertThat(text).contains("sync_group_tracking_weight", "notify_stop \"/usr/local/bin/g.sh stop\"");
  }

  @Test
  void withoutTheKeywords_extrasAreNone() {
    KeepalivedConfig c = parse("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n}\n");
    assertThat(c.spec().vrrpInstances().get(0).extras()).isEqualTo(VrrpExtras.NONE);
    assertThat(KeepalivedConfig.export(c.spec())).doesNotContain("vrrp_track_process", "strict_mode", "debug");
  }
}

package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.vrrp.VrrpExtras;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad values of the extras keywords: an error at the keyword's line naming what is allowed, nothing carried. */
class ExtrasBadValuesTest {
  private static final String HEAD = "vrrp_track_process p1 {\n process sshd\n}\nvrrp_instance V {\n interface eth0\n"
      + " virtual_router_id 1\n";

  private static KeepalivedConfig parse(String body) {
    return KeepalivedConfig.parse(HEAD + body + "\n}\n", "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId("x"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "debug 5                          | debug 5 is out of range 0-4",
      "debug x                          | 'x' is not an integer (allowed 0-4)",
      "down_timer_adverts 0             | down_timer_adverts 0 is out of range 1-100",
      "down_timer_adverts 101           | out of range 1-100",
      "unicast_ttl 256                  | unicast_ttl 256 is out of range 0-255",
      "unicast_ttl -1                   | out of range 0-255",
      "kernel_rx_buf_size -1            | out of range 0-4294967295",
      "kernel_rx_buf_size 4294967296    | kernel_rx_buf_size 4294967296 is out of range 0-4294967295",
      "kernel_rx_buf_size 1k            | '1k' is not an integer",
      "kernel_rx_buf_size               | kernel_rx_buf_size needs a value",
      "garp_lower_prio_delay 4295       | out of range 0-4294",
      "garp_lower_prio_delay 1.5        | '1.5' is not an integer",
      "garp_lower_prio_repeat -1        | out of range 0-2147483647",
      "garp_master_refresh_repeat -1    | out of range 0-4294967295",
      "garp_master_refresh_repeat 4294967296 | out of range 0-4294967295",
      "garp_extra_if 86401              | garp_extra_if 86401 is out of range 0-86400",
      "garp_extra_if all                | garp_extra_if needs a time in seconds (0-86400",
      "lower_prio_no_advert maybe       | 'maybe' is not a boolean",
      "higher_prio_send_advert x        | 'x' is not a boolean",
      "strict_mode x                    | 'x' is not a boolean",
      "skip_check_adv_addr x            | 'x' is not a boolean",
      "notify_priority_changes x        | 'x' is not a boolean",
      "old_unicast_checksum sometimes   | unknown mode 'sometimes' (allowed: nothing or 'never')",
      "notify_master_rx_lower_pri       | notify_master_rx_lower_pri needs a value",
      "vrf                              | vrf needs a value",
      "use_ipvlan ipv1 10.0.0.1 bogus   | use_ipvlan: 'bogus' ignored",
      "sync_group_tracking_weight       | it belongs in the instance's vrrp_sync_group",
      "auth_pass secret                 | it goes inside authentication { ... }",
      "garp_master_delay 1.5            | '1.5' is not an integer (allowed 0-4294)",
      "garp_master_delay 4295           | garp_master_delay 4295 is out of range 0-4294",
      "garp_master_refresh 1.5          | '1.5' is not an integer",
      "garp_master_refresh 4294967296   | out of range 0-4294967295",
  })
  void badValue_isAnErrorAtItsLine(String line, String message) {
    KeepalivedConfig c = parse(" " + line);
    assertThat(c.diagnostics()).as(line).anyMatch(d -> d.isError() && d.line() == 7 && d.message().contains(message));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "p1 weight 255          | weight 255 is out of range -254-254",
      "p1 weight x            | 'x' is not an integer (allowed -254-254)",
      "p1 weight              | weight needs a value (-254..254)",
      "nope                   | no vrrp_track_process nope is defined before this vrrp_instance",
  })
  void badTrackProcessLine_isAnErrorAtItsLine_andDropped(String line, String message) {
    KeepalivedConfig c = parse(" track_process {\n  " + line + "\n }");
    assertThat(c.diagnostics()).as(line).anyMatch(d -> d.isError() && d.line() == 8 && d.message().contains(message));
    assertThat(c.spec().vrrpInstances().get(0).extras().trackProcess()).isEmpty();
  }

  @Test
  void trackBfdWeight_isLimitedTo253() {
    KeepalivedConfig c = KeepalivedConfig.parse("bfd_instance b {\n neighbor_ip 10.0.0.2\n}\n" + "vrrp_instance V {\n"
        + " interface eth0\n virtual_router_id 1\n track_bfd {\n  b weight 254\n }\n}\n", "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId("x"));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 8 && d.message().contains("-253-253"));
  }

  @Test
  void trackedProcessDefinedAfterTheInstance_isNotFound_likeKeepalived() {
    KeepalivedConfig c = KeepalivedConfig.parse("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
        + " track_process {\n  late\n }\n}\nvrrp_track_process late {\n process x\n}\n", "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId("x"));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.line() == 5 && d.message().contains("before this"));
  }

  @Test
  void trackProcessWeightOptions_reverseCarried_unknownWarned() {
    KeepalivedConfig c = parse(" track_process {\n  p1 weight 5 bogus\n }");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 8 && d.message().contains("'bogus'"));
    assertThat(c.spec().vrrpInstances().get(0).extras().trackProcess().get(0).reverse()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "from 10.0.0.0/8 table 1 pref 3              | unknown rule option 'pref'",
      "bogus 10.0.0.1                              | unknown rule option 'bogus'",
      "from 10.0.0.0/8 table                       | 'table' needs a value",
      "from notanip table 3 priority 1             | from 'notanip' is not an address, prefix or 'all'",
      "from 10.0.0.1 table 3 priority 70000000000  | out of range 0-4294967295",
      "from 10.0.0.1 table 3 goto 5 priority 1     | a rule takes one action; 'table' and 'goto' given",
      "from 10.0.0.1 table 3 sport 80 priority 1   | sport '80' is not a port range A-B",
  })
  void badVirtualRule_isAnErrorAtItsLine_andDropped(String rule, String message) {
    KeepalivedConfig c = parse(" virtual_rules {\n  " + rule + "\n }");
    assertThat(c.diagnostics()).as(rule).anyMatch(d -> d.isError() && d.line() == 8 && d.message().contains(message));
    assertThat(c.spec().vrrpInstances().get(0).extras().virtualRules()).isEmpty();
  }

  @Test
  void virtualRuleWithoutActionOrPreference_isWarnedLikeKeepalived() {
    KeepalivedConfig c = parse(" virtual_rules {\n  from 10.0.0.0/8 priority 7\n  to 10.0.0.0/8 table 5\n }");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 8 && d.message().contains("no action"));
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 9 && d.message().contains("without priority"));
    assertThat(c.spec().vrrpInstances().get(0).extras().virtualRules()).containsExactly("to 10.0.0.0/8 table 5");
  }

  @Test
  void unsignedValues_takeKeepalivedsWholeUnsignedRange() {
    KeepalivedConfig c = parse(" garp_master_refresh_repeat 4294967295\n kernel_rx_buf_size 4294967295");
    assertThat(c.diagnostics()).noneMatch(Diagnostic::isError);
    assertThat(c.spec().vrrpInstances().get(0).extras().kernelRxBufSize()).hasValue(4294967295L);
  }

  @Test
  void garpMasterRefreshRepeatZero_isWarnedAndCarriedAsOne_likeKeepalived() {
    KeepalivedConfig c = parse(" garp_master_refresh_repeat 0");
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 7 && d.message().contains("sets it to 1"));
    assertThat(c.spec().vrrpInstances().get(0).extras().garpMasterRefreshRepeat()).hasValue(1);
  }

  @Test
  void useVmacAndUseIpvlan_bothNamingTheInterface_warnAtTheSecond() {
    KeepalivedConfig c = parse(" use_ipvlan ipv1\n use_vmac vm1");
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 8 && d.message().contains("ignores 'vm1'"));
  }

  @Test
  void unicastTtlWithoutPeers_isWarned() {
    KeepalivedConfig c = parse(" unicast_ttl 5");
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 7 && d.message().contains("without unicast_peer"));
  }

  @Test
  void extrasValues_checkTheirRangesWhereTheyEnter() {
    VrrpExtras.Builder b = VrrpExtras.builder();
    b.unicastTtl = java.util.OptionalInt.of(300);
    org.assertj.core.api.Assertions.assertThatThrownBy(b::build).hasMessageContaining("unicast_ttl out of range 0-255: 300");
    b.unicastTtl = java.util.OptionalInt.empty();
    b.virtualRules = List.of("from all table 1 {");
    org.assertj.core.api.Assertions.assertThatThrownBy(b::build).hasMessageContaining("without braces");
    b.virtualRules = List.of();
    b.kernelRxBufSize = java.util.OptionalLong.of(4294967296L);
    org.assertj.core.api.Assertions.assertThatThrownBy(b::build).hasMessageContaining("kernel_rx_buf_size out of range");
  }

  @Test
  void trackInterfaceAndScriptWeight254_isSetTo253_andReverseWarnedAsNotCarried_likeKeepalived() {
    KeepalivedConfig c = KeepalivedConfig.parse("vrrp_script s1 {\n script /bin/true\n}\nvrrp_instance V {\n"
        + " interface eth0\n virtual_router_id 1\n track_interface {\n  eth1 weight -254\n }\n"
        + " track_script {\n  s1 weight 254 reverse\n }\n}\n", "t.conf", Path.of("."),
        KeepalivedConfig.Options.defaults().withConfigId("x"));
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 8 && d.message().contains("+/-253"));
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 11 && d.message().contains("+/-253"));
    assertThat(c.diagnostics()).anyMatch(d -> !d.isError() && d.line() == 11
        && d.message().contains("'reverse' is not carried"));
    assertThat(c.spec().vrrpInstances().get(0).trackInterfaces()).containsEntry("eth1", -253);
    assertThat(c.spec().vrrpInstances().get(0).trackScripts()).containsEntry("s1", OptionalInt.of(253));
  }
}

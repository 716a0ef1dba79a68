package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.VirtualService;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keepalived.conf language: comments, quoting, includes, parameters, conditionals, loops. */
class LanguageTest {
  @TempDir
  Path dir;

  private KeepalivedConfig parse(String text, String id) {
    return KeepalivedConfig.parse(text, "t.conf", dir, KeepalivedConfig.Options.defaults().withConfigId(id));
  }

  private static String vs(String vip) {
    return "virtual_server " + vip + " 80 {\n lvs_sched rr\n lvs_method NAT\n real_server 10.9.0.1 80 {\n weight 2\n }\n}\n";
  }

  /** The diagnostics but keepalived's "has no real servers" warning (these configs are about syntax, not services). */
  private static List<Diagnostic> syntax(KeepalivedConfig c) {
    return c.diagnostics().stream().filter(d -> !d.message().contains("has no real_server")).toList();
  }

  private static List<String> keys(LoadBalancerSpec s) {
    return s.virtualServices().stream().map(v -> v.key().toString()).toList();
  }

  @Test
  void comments_hashAndBang_anywhereOnALine() {
    KeepalivedConfig c = parse("# top\nvirtual_server 10.0.0.1 80 { ! open\n lvs_sched rr # sched\n}\n", "x");
    assertThat(syntax(c)).isEmpty();
    assertThat(c.spec().virtualServices().get(0).scheduler().name()).isEqualTo("rr");
  }

  @Test
  void quotes_joinWordsAndApplyEscapes() {
    KeepalivedConfig c = parse("vrrp_script s {\n script \"/bin/echo 'a b' c\\td\"\n}\n", "x");
    assertThat(c.spec().scripts().get("s").command()).containsExactly("/bin/echo", "a b", "c\td");
  }

  @Test
  void unterminatedQuote_isAnErrorAtItsColumn() {
    KeepalivedConfig c = parse("global_defs {\n router_id \"abc\n}\n", "x");
    assertThat(c.diagnostics()).anyMatch(d -> d.line() == 2 && d.column() == 12 && d.isError()
        && d.message().contains("unterminated double quote"));
  }

  @Test
  void braces_onOneLine_andOnTheNextLine() {
    KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 { lvs_sched sh }\nvirtual_server 10.0.0.2 80\n{\n"
        + "lvs_sched dh\n}\n", "x");
    assertThat(syntax(c)).isEmpty();
    assertThat(c.spec().virtualServices()).extracting(v -> v.scheduler().name()).containsExactly("sh", "dh");
  }

  @Test
  void strayClosingBrace_isReportedWhereItIs() {
    KeepalivedConfig c = parse("global_defs {\n}\n}\n", "x");
    assertThat(c.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.line()).isEqualTo(3);
      assertThat(d.message()).contains("unexpected '}'");
    });
  }

  @Test
  void include_isRelativeToTheIncludingFile_withGlobsAndBraces() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(sub.resolve("a.conf"), vs("10.0.0.1"));
    Files.writeString(sub.resolve("b.conf"), vs("10.0.0.2") + "include more/{x,y}.inc\n");
    Files.createDirectories(sub.resolve("more"));
    Files.writeString(sub.resolve("more/x.inc"), vs("10.0.0.3"));
    Files.writeString(sub.resolve("more/y.inc"), vs("10.0.0.4"));
    Files.writeString(sub.resolve("skip.txt"), "garbage {");
    Path main = dir.resolve("keepalived.conf");
    Files.writeString(main, "include conf.d/*.conf\n");
    KeepalivedConfig c = KeepalivedConfig.parse(main, KeepalivedConfig.Options.defaults());
    assertThat(c.diagnostics()).isEmpty();
    assertThat(keys(c.spec())).containsExactly("TCP 10.0.0.1:80", "TCP 10.0.0.2:80", "TCP 10.0.0.3:80",
        "TCP 10.0.0.4:80");
  }

  @Test
  void include_cycle_isReportedNotFollowed() throws Exception {
    Files.writeString(dir.resolve("a.conf"), "include b.conf\n" + vs("10.0.0.1"));
    Files.writeString(dir.resolve("b.conf"), "include a.conf\n");
    KeepalivedConfig c = KeepalivedConfig.parse(dir.resolve("a.conf"));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().startsWith("include cycle")
        && d.file().endsWith("b.conf") && d.line() == 1);
    assertThat(c.spec().virtualServices()).hasSize(1);
  }

  @Test
  void include_missingFile_warnsForIncludeAndFailsForIncludea() {
    assertThat(parse("include nothere.conf\n", "x").diagnostics()).singleElement()
        .matches(d -> !d.isError() && d.message().endsWith("nothere.conf: no such file"));
    assertThat(parse("includea nothere.conf\n", "x").hasErrors()).isTrue();
  }

  @Test
  void diagnosticsInIncludedFiles_nameThatFile() throws Exception {
    Files.writeString(dir.resolve("inc.conf"), "\n\nglobal_defs {\n  routr_id x\n}\n");
    KeepalivedConfig c = parse("include inc.conf\n", "x");
    assertThat(c.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.file()).isEqualTo(dir.resolve("inc.conf").toString());
      assertThat(d.line()).isEqualTo(4);
      assertThat(d.message()).contains("did you mean 'router_id'?");
    });
  }

  @Test
  void parameters_singleAndMultiLine_substituteAtUseTime() {
    String text = "$BASE=10.2.${SUB}\n$SUB=0\n$VS= \\\nvirtual_server ${BASE}.${N} 80 { \\\n lvs_sched $S \\\n}\n"
        + "$S=rr\n$N=1\n$VS\n$SUB=10\n$N=2\n$VS\n";
    KeepalivedConfig c = parse(text, "x");
    assertThat(syntax(c)).isEmpty();
    assertThat(keys(c.spec())).containsExactly("TCP 10.2.0.1:80", "TCP 10.2.10.2:80");
  }

  @Test
  void undefinedParameter_staysAsItIs() {
    KeepalivedConfig c = parse("vrrp_script s {\n script \"/bin/x $UNDEF ${ALSO}\"\n}\n", "x");
    assertThat(c.spec().scripts().get("s").command()).containsExactly("/bin/x", "$UNDEF", "${ALSO}");
  }

  @Test
  void builtins_pwdHashBangInstance() {
    KeepalivedConfig c = parse("vrrp_script s {\n script \"${_PWD}/x ${_HASH}${_BANG} ${_INSTANCE}\"\n}\n", "node1");
    assertThat(c.spec().scripts().get("s").command()).containsExactly(dir.toAbsolutePath() + "/x", "#!", "node1");
  }

  @Test
  void recursiveDefinition_isStoppedWithAnError() {
    KeepalivedConfig c = parse("$A=${A}${A}\nglobal_defs {\n router_id $A\n}\n", "x");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().contains("does not terminate"));
  }

  @Test
  void conditionals_matchTheConfigId_andNegate() {
    String text = "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n@main priority 200\n@backup priority 100\n"
        + "@^main nopreempt\n}\n";
    VrrpInstanceSpec main = parse(text, "main").spec().vrrpInstances().get(0);
    VrrpInstanceSpec backup = parse(text, "backup").spec().vrrpInstances().get(0);
    assertThat(main.priority()).isEqualTo(200);
    assertThat(main.preempt()).isTrue();
    assertThat(backup.priority()).isEqualTo(100);
    assertThat(backup.preempt()).isFalse();
  }

  @Test
  void conditionalParameter_definedOnlyForItsId() {
    String text = "@main $P=240\n@backup $P=200\nvrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
        + " priority $P\n}\n";
    assertThat(parse(text, "backup").spec().vrrpInstances().get(0).priority()).isEqualTo(200);
  }

  @Test
  void seq_nested_andHex() {
    KeepalivedConfig c = parse("~SEQ(A, 1, 2) ~SEQ(B, 3) virtual_server 10.0.${A}.${B} 80 { lvs_sched rr }\n"
        + "virtual_server_group G {\n~SEQx(H, 0x0a, 0x0b) 2001:db8::${H} 443\n}\n"
        + "virtual_server group G { lvs_sched rr }\n", "x");
    assertThat(syntax(c)).isEmpty();
    assertThat(keys(c.spec())).containsExactly("TCP 10.0.1.1:80", "TCP 10.0.1.2:80", "TCP 10.0.1.3:80",
        "TCP 10.0.2.1:80", "TCP 10.0.2.2:80", "TCP 10.0.2.3:80", "TCP [2001:db8::a]:443", "TCP [2001:db8::b]:443");
  }

  @Test
  void lst_singleAndMultipleVariables() {
    KeepalivedConfig c = parse("~LST({IP, P}, {1, 80}, {2, 8080}) virtual_server 10.0.0.${IP} ${P} { }\n"
        + "~LST(X, 7, 9) virtual_server 10.0.1.${X} 80 { }\n", "x");
    assertThat(keys(c.spec())).containsExactly("TCP 10.0.0.1:80", "TCP 10.0.0.2:8080", "TCP 10.0.1.7:80",
        "TCP 10.0.1.9:80");
  }

  @Test
  void hugeSeq_isRefusedNotRun() {
    KeepalivedConfig c = parse("~SEQ(A, 0, 99999999999) global_defs { }\n", "x");
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().contains("more than"));
  }

  @Test
  void lineLimit_stopsExpansionWithAnError() {
    KeepalivedConfig c = KeepalivedConfig.parse("~SEQ(A, 1, 100000) virtual_server 10.0.0.1 ${A} { }\n", "t.conf",
        dir, KeepalivedConfig.Options.defaults().withMaxLines(1000));
    assertThat(c.diagnostics()).anyMatch(d -> d.isError() && d.message().contains("more than 1000 lines"));
  }

  @Test
  void virtualServerGroup_rangesAndFwmarks_expandWithTheSameBody() {
    KeepalivedConfig c = parse("virtual_server_group G {\n 10.0.0.1-3 80\n 10.0.1.0/31 443\n fwmark 7\n}\n"
        + "virtual_server group G {\n lvs_sched sh\n lvs_method NAT\n persistence_timeout 50\n real_server 10.9.0.1 80 { }\n}\n", "x");
    assertThat(c.diagnostics()).isEmpty();
    assertThat(keys(c.spec())).containsExactly("TCP 10.0.0.1:80", "TCP 10.0.0.2:80", "TCP 10.0.0.3:80",
        "TCP 10.0.1.0:443", "TCP 10.0.1.1:443", "FWM 7");
    assertThat(c.spec().virtualServices()).allMatch(v -> v.scheduler().name().equals("sh")
        && v.persistence().orElseThrow().timeoutSeconds() == 50 && v.realServers().size() == 1);
    assertThat(c.spec().virtualServerGroups().get("G")).hasSize(6);
  }

  @Test
  void silentMistakes_duplicateVrid_nopreemptMaster_duplicateRealServer_ownVip() {
    String text = "vrrp_instance A {\n state MASTER\n nopreempt\n interface eth0\n virtual_router_id 5\n}\n"
        + "vrrp_instance B {\n interface eth0\n virtual_router_id 5\n}\n"
        + "virtual_server 10.0.0.1 80 {\n sorry_server 10.0.0.1 80\n real_server 10.9.0.1 80 { }\n"
        + " real_server 10.9.0.1 80 { }\n}\n";
    List<String> got = parse(text, "x").diagnostics().stream().map(d -> d.line() + " " + d.severity() + " "
        + d.message()).toList();
    assertThat(got).anyMatch(s -> s.startsWith("3 WARNING nopreempt with state MASTER"));
    assertThat(got).anyMatch(s -> s.startsWith("7 WARNING vrrp_instance B uses virtual_router_id 5 on eth0 like "
        + "vrrp_instance A (line 1)"));
    assertThat(got).anyMatch(s -> s.startsWith("12 WARNING sorry_server 10.0.0.1 80 is the service's own VIP"));
    assertThat(got).anyMatch(s -> s.startsWith("14 WARNING real_server 10.9.0.1:80 is listed twice"));
  }

  @Test
  void vipOutsideTheInterfaceSubnets_warnsOnlyWhenHostInterfacesAreGiven() {
    String text = "vrrp_instance A {\n interface eth0\n virtual_router_id 5\n virtual_ipaddress {\n  10.1.0.9\n"
        + "  192.168.0.200\n }\n}\n";
    assertThat(parse(text, "x").diagnostics()).isEmpty();
    KeepalivedConfig c = KeepalivedConfig.parse(text, "t.conf", dir, KeepalivedConfig.Options.defaults()
        .withInterfaces(java.util.Map.of("eth0", List.of(io.lbkit.api.net.IfAddress.parse("192.168.0.10/24")))));
    assertThat(c.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.line()).isEqualTo(1);
      assertThat(d.message()).contains("VIP 10.1.0.9 is outside every subnet of eth0");
    });
  }

  @Test
  void undefinedTrackScript_suggestsTheDefinedOne() {
    String text = "vrrp_script chk_http {\n script /bin/true\n}\nvrrp_instance A {\n interface eth0\n"
        + " virtual_router_id 5\n track_script {\n  chk_htp\n }\n}\n";
    assertThat(parse(text, "x").diagnostics()).anyMatch(d -> d.line() == 8 && d.isError()
        && d.message().endsWith("did you mean 'chk_http'?"));
  }

  @Test
  void emptyAndCommentOnlyFiles_giveAnEmptySpec() {
    assertThat(parse("", "x").spec()).isEqualTo(LoadBalancerSpec.of(List.<VirtualService>of()));
    assertThat(parse("! nothing\n# at all\n", "x").diagnostics()).isEmpty();
  }
}

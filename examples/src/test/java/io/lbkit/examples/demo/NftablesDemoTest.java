package io.lbkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.Exec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Netns tier: the demo's nftables path for real (root, nf_tables, busybox; no IPVS needed).
 * Assertions are on what it prints and on what it leaves behind, never on how fast.
 */
class NftablesDemoTest {
  static final String ROW_61 = "  -> 192.168.0.61:80              Route   %d      0          0";
  static final String ROW_62 = "  -> 192.168.0.62:80              Route   1      0          0";

  @Test
  void nftablesMode_seedOnNftables_alternatesFailsOverToTentenAndComesBack_leavesNoNamespace() throws Exception {
    Tiers.requireRoot("the demo creates network namespaces and nf_tables tables");
    Tiers.requireProgram("busybox");
    String why = Demo.nftablesUnusable();
    Tiers.require(why == null, "the nftables demo cannot run here: " + why);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = new Demo().run(List.of("--mode", "nftables"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    assertThat(rc).as("%s%n%s", o, err.toString(StandardCharsets.UTF_8)).isZero();

    int up = o.indexOf("both real servers in rotation:");
    int table = o.indexOf("TCP  192.168.0.200:80 rr\n", up);
    assertThat(up).as(o).isPositive();
    assertThat(table).as(o).isPositive();
    assertThat(o.substring(table)).as(o).startsWith("TCP  192.168.0.200:80 rr\n           "
        + String.format(ROW_61, 1) + "         \n           " + ROW_62);
    List<String> first = answers(o, up);
    assertThat(first).as(o).hasSize(6).containsOnly("shizune", "tenten");
    for (int i = 1; i < first.size(); i++) {
      assertThat(first.get(i)).as("request %d of %s", i + 1, first).isNotEqualTo(first.get(i - 1));
    }

    int down = o.indexOf("192.168.0.61 failed its check", up);
    assertThat(down).as(o).isPositive();
    assertThat(o.indexOf(String.format(ROW_61, 0), down)).as(o).isPositive();
    assertThat(answers(o, down)).as(o).hasSize(4).containsOnly("tenten");

    int back = o.indexOf("192.168.0.61 answers again", down);
    assertThat(back).as(o).isPositive();
    assertThat(o.indexOf(String.format(ROW_61, 1), back)).as(o).isPositive();
    assertThat(answers(o, back)).as(o).hasSize(4).containsOnly("shizune", "tenten").contains("shizune");
    assertThat(o).contains("director | V_W: ");

    Matcher m = Pattern.compile("cleaned up: director stopped, namespaces ((?:lbt-\\w+ ?){5}) deleted").matcher(o);
    assertThat(m.find()).as(o).isTrue();
    String list = Exec.run(Duration.ofSeconds(10), "ip", "netns", "list").orThrow().stdout();
    for (String ns : m.group(1).trim().split(" ")) {
      assertThat(list).as("namespace %s deleted", ns).doesNotContain(ns);
    }
  }

  @Test
  void conf_isTheSeedsImportedWithoutErrors() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("nftdemo", ".conf");
    try {
      java.nio.file.Files.writeString(f, NftablesDemo.conf());
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      var spec = io.lbkit.examples.ImportAndRun.importFile(f, new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(spec).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
      assertThat(spec.virtualServices()).hasSize(1);
      assertThat(spec.virtualServices().get(0).realServers()).hasSize(2);
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  /** Who answered the first client request line after {@code from}. */
  private static List<String> answers(String o, int from) {
    int at = o.indexOf("/test.html; done  ->  ", from);
    assertThat(at).as(o).isPositive();
    String line = o.substring(at + "/test.html; done  ->  ".length(), o.indexOf('\n', at));
    return List.of(line.trim().split(" "));
  }
}

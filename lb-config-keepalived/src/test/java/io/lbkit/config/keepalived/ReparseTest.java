package io.lbkit.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A parse that reuses the previous one ({@link KeepalivedConfig#parse(Path, KeepalivedConfig.Options,
 * KeepalivedConfig)}) gives exactly what a full parse of the new text gives: random configurations,
 * random single-line edits (some keep the block re-parseable alone, some do not), chained edits.
 */
class ReparseTest {
  private static final KeepalivedConfig.Options O = KeepalivedConfig.Options.defaults().withConfigId("x");
  private static final String[] WORDS = {"weight 7", "weight", "weight -3", "inhibit_on_failure", "junk", "{", "}",
      "} }", "real_server 10.9.9.9 80 {", "real_server 10.9.9.9 80", "virtual_server 10.1.1.1 80 {",
      "virtual_server group g {", "sorry_server 10.0.0.1 80", "track_file tf_0", "MISC_CHECK {", "$X=1", "@x weight 2",
      "@y weight 2", "~SEQ(i, 1, 2) weight $i", "include none.conf", "lb_algo wrr", "lvs_sched sh", "protocol UDP",
      "delay_loop 3", "# comment", "", "connect_port 81", "\"quoted", "persistence_timeout 60", "10.0.0.1"};
  private Path dir;

  @BeforeEach
  void dir() throws IOException {
    dir = Files.createTempDirectory("lbk-reparse");
  }

  @AfterEach
  void clean() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Property(tries = 200)
  void reparse_randomSingleLineEdits_equalsFullParse(@ForAll long seed) throws IOException {
    dir();
    try {
      Random r = new Random(seed);
      String text = KeepalivedConfig.export(new SpecGen(r).spec()) + plain(r);
      Path root = dir.resolve("keepalived.conf");
      Path inc = dir.resolve("services.conf");
      boolean split = r.nextBoolean();
      write(root, inc, text, split);
      // now and then the first read keeps no memo (a one-shot read): its reload is a full parse
      KeepalivedConfig prev = KeepalivedConfig.parse(root, r.nextInt(8) == 0 ? O.withReloadable(false) : O);
      for (int edit = 0; edit < 3; edit++) {
        Path target = split && r.nextBoolean() ? inc : root;
        List<String> lines = new ArrayList<>(List.of(Files.readString(target).split("\n", -1)));
        edit(lines, r);
        Files.writeString(target, String.join("\n", lines));
        KeepalivedConfig quick = Reparse.tryAgain(prev, prev.memo(), root, O);
        KeepalivedConfig again = KeepalivedConfig.parse(root, O, prev);
        KeepalivedConfig cold = KeepalivedConfig.parse(root, O);
        Statistics.collect(quick == null ? "full parse" : quick == prev ? "unchanged" : "one block re-read");
        if (quick != null) {
          assertThat(quick.spec()).isEqualTo(cold.spec());
          assertThat(quick.diagnostics()).isEqualTo(cold.diagnostics());
        }
        assertThat(again.spec()).isEqualTo(cold.spec());
        assertThat(again.diagnostics()).isEqualTo(cold.diagnostics());
        prev = again;
      }
    } finally {
      clean();
    }
  }

  @Test
  void reparse_changedWeightInIncludedFile_rereadsOneBlockWithItsFileAndLine() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Path inc = dir.resolve("vs.conf");
    Files.writeString(root, "global_defs {\n  router_id a\n}\ninclude vs.conf\n");
    Files.writeString(inc, services(3, 1));
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    assertThat(prev.diagnostics()).isEmpty();
    Files.writeString(inc, services(3, 1).replace("weight 1\n  }\n}\nvirtual_server 10.0.0.2", "weight 99999\n  }\n}\n"
        + "virtual_server 10.0.0.2"));
    KeepalivedConfig quick = Reparse.tryAgain(prev, prev.memo(), root, O);
    KeepalivedConfig cold = KeepalivedConfig.parse(root, O);
    assertThat(quick).isNotNull();
    assertThat(quick.spec()).isEqualTo(cold.spec());
    assertThat(quick.diagnostics()).isEqualTo(cold.diagnostics()).hasSize(1);
    assertThat(quick.diagnostics().get(0).file()).isEqualTo(inc.toString());
    assertThat(quick.diagnostics().get(0).line()).isEqualTo(12);
  }

  @Test
  void reparse_nothingChanged_returnsThePreviousResult() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, services(2, 1));
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    assertThat(KeepalivedConfig.parse(root, O, prev)).isSameAs(prev);
  }

  @Test
  void reparse_fileWithLoops_isParsedWhole() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, "~SEQ(I, 1, 2) $X=1\n" + services(2, 1));
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    Files.writeString(root, "~SEQ(I, 1, 2) $X=1\n" + services(2, 2));
    assertThat(prev.memo()).isNull();
    assertThat(Reparse.tryAgain(prev, prev.memo(), root, O)).isNull();
    assertThat(KeepalivedConfig.parse(root, O, prev).spec()).isEqualTo(KeepalivedConfig.parse(root, O).spec());
  }

  @Test
  void reparse_changedKey_isParsedWhole() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    Files.writeString(root, services(2, 1));
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    Files.writeString(root, services(2, 1).replace("10.0.0.1 80", "10.0.0.0 80"));
    assertThat(Reparse.tryAgain(prev, prev.memo(), root, O)).isNull();
    KeepalivedConfig again = KeepalivedConfig.parse(root, O, prev);
    assertThat(again.diagnostics()).isEqualTo(KeepalivedConfig.parse(root, O).diagnostics()).isNotEmpty();
  }

  @Test
  void reparse_blockWithSorryServerOrMiscCheck_isParsedWhole() throws IOException {
    Path root = dir.resolve("keepalived.conf");
    String sorry = services(2, 1).replace("  lvs_sched rr\n", "  lvs_sched rr\n  sorry_server 10.3.0.1 80\n");
    Files.writeString(root, sorry);
    KeepalivedConfig prev = KeepalivedConfig.parse(root, O);
    Files.writeString(root, sorry.replace("weight 1", "weight 2"));
    assertThat(Reparse.tryAgain(prev, prev.memo(), root, O)).isNull();
    String misc = services(2, 1).replace("weight 1\n", "weight 1\n    MISC_CHECK {\n      misc_path /bin/true\n    }\n");
    Files.writeString(root, misc);
    prev = KeepalivedConfig.parse(root, O);
    Files.writeString(root, misc.replace("weight 1", "weight 2"));
    assertThat(Reparse.tryAgain(prev, prev.memo(), root, O)).isNull();
    assertThat(KeepalivedConfig.parse(root, O, prev).spec()).isEqualTo(KeepalivedConfig.parse(root, O).spec());
  }

  /** {@code n} virtual servers of one real server, 7 lines each. */
  static String services(int n, int weight) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("virtual_server 10.0.0.").append(i).append(" 80 {\n  lvs_sched rr\n  lvs_method NAT\n  real_server 10.1.0.").append(i)
          .append(" 80 {\n    weight ").append(weight).append("\n  }\n}\n");
    }
    return b.toString();
  }

  /** Virtual servers of the common kind (one address, real servers, a check or none): re-parseable alone. */
  private static String plain(Random r) {
    StringBuilder b = new StringBuilder();
    String[] checks = {"", "    TCP_CHECK {\n      connect_timeout 3\n    }\n",
        "    HTTP_GET {\n      url {\n        path /\n        status_code 200\n      }\n      delay_loop 6\n    }\n"};
    for (int i = 0; i < 2 + r.nextInt(6); i++) {
      b.append("virtual_server 10.7.").append(r.nextInt(3)).append('.').append(r.nextInt(250)).append(' ')
          .append(80 + r.nextInt(3)).append(" {\n  lvs_sched ").append(r.nextBoolean() ? "rr" : "wlc")
          .append("\n  lvs_method NAT\n  protocol TCP\n");
      for (int k = 0; k < 1 + r.nextInt(3); k++) {
        b.append("  real_server 10.8.0.").append(r.nextInt(250)).append(" 8080 {\n    weight ").append(r.nextInt(5))
            .append('\n').append(checks[r.nextInt(checks.length)]).append("  }\n");
      }
      b.append("}\n");
    }
    return b.toString();
  }

  private static void write(Path root, Path inc, String text, boolean split) throws IOException {
    int vs = text.indexOf("\nvirtual_server ");
    if (!split || vs < 0) {
      Files.writeString(root, text);
      Files.writeString(inc, "");
      return;
    }
    Files.writeString(root, text.substring(0, vs + 1) + "include services.conf\n");
    Files.writeString(inc, text.substring(vs + 1));
  }

  private static void edit(List<String> lines, Random r) {
    int n = lines.size();
    int i = r.nextInt(3) > 0 ? n - 1 - r.nextInt(Math.max(1, n / 3)) : r.nextInt(n); // mostly the plain services
    String l = lines.get(i);
    switch (r.nextInt(5)) {
      case 0 -> { // another digit: the common real edit
        int d = firstDigit(l, r);
        lines.set(i, d < 0 ? l : l.substring(0, d) + r.nextInt(10) + l.substring(d + 1));
      }
      case 1 -> lines.set(i, l.replaceFirst("\\S+\\s*$", java.util.regex.Matcher.quoteReplacement(WORDS[r.nextInt(WORDS.length)])));
      case 2 -> lines.set(i, "    " + WORDS[r.nextInt(WORDS.length)]);
      case 3 -> lines.set(i, lines.get(r.nextInt(lines.size())));
      default -> {
        if (r.nextBoolean()) {
          lines.add(i, WORDS[r.nextInt(WORDS.length)]);
        } else {
          lines.remove(i);
        }
      }
    }
  }

  private static int firstDigit(String l, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int k = 0; k < l.length(); k++) {
      if (Character.isDigit(l.charAt(k))) {
        at.add(k);
      }
    }
    return at.isEmpty() ? -1 : at.get(r.nextInt(at.size()));
  }
}

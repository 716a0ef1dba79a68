package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.runtime.Dataplane;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --dataplane ipvs|nftables|auto} on lbctl run, show and apply: parsing only, nothing opened. */
class DataplaneOptionTest {
  @TempDir Path dir;

  private Object parsed(String... args) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    CommandLine cl = Lbctl.commandLine(discard, discard, dir);
    return cl.parseArgs(args).subcommand().commandSpec().userObject();
  }

  private static Dataplane of(Object command) {
    if (command instanceof RunCommand r) {
      return r.dataplane;
    } else if (command instanceof ShowCommand s) {
      return s.ipvsOptions.dataplane;
    }
    return ((ApplyCommand) command).ipvsOptions.dataplane;
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "apply"})
  void dataplane_defaultsToAuto_andTakesEachNameInBothForms(String command) {
    assertThat(of(parsed(command, "k.conf"))).isEqualTo(Dataplane.AUTO);
    assertThat(of(parsed(command, "--dataplane", "nftables", "k.conf"))).isEqualTo(Dataplane.NFTABLES);
    assertThat(of(parsed(command, "--dataplane=ipvs", "k.conf"))).isEqualTo(Dataplane.IPVS);
    assertThat(of(parsed(command, "k.conf", "--dataplane", "NFTables"))).isEqualTo(Dataplane.NFTABLES);
    assertThat(of(parsed(command, "--dataplane", "auto", "k.conf"))).isEqualTo(Dataplane.AUTO);
  }

  @Test
  void show_takesTheDataplane() {
    assertThat(of(parsed("show"))).isEqualTo(Dataplane.AUTO);
    assertThat(of(parsed("show", "--dataplane", "nftables", "--netns", "x"))).isEqualTo(Dataplane.NFTABLES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "show", "apply"})
  void dataplane_unknownName_isAUsageErrorNamingTheValidOnes(String command) {
    InProcessLbctl lbctl = new InProcessLbctl();
    assertThat(lbctl.run(command, "--dataplane", "xdp", "k.conf")).isEqualTo(2);
    assertThat(lbctl.err()).contains("'xdp' is not a dataplane; valid: ipvs, nftables, auto");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "show", "apply"})
  void help_describesTheDataplaneOption(String command) {
    InProcessLbctl lbctl = new InProcessLbctl();
    assertThat(lbctl.run(command, "--help")).isZero();
    assertThat(lbctl.out().replaceAll("\\s+", " ")).contains("--dataplane=ipvs|nftables|auto")
        .contains("IPVS when the kernel has it, else nftables. Default: auto.");
  }
}

package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LbctlTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    return Lbctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demo_printsTheSeedsTable_thenWeightZeroForTheFailedServer() {
    assertThat(run("demo", "--fake")).isZero();
    String o = out.toString(StandardCharsets.UTF_8);
    assertThat(o).contains(String.join("\n",
        "   IP Virtual Server version 1.2.1 (size=4096)",
        "   Prot LocalAddress:Port Scheduler Flags",
        "     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
        "   TCP  192.168.0.200:80 rr",
        "     -> 192.168.0.62:80              Route   1      0          0         ",
        "     -> 192.168.0.61:80              Route   1      0          0         "));
    assertThat(o).contains("ipvsadm -e -t 192.168.0.200:80 -r 192.168.0.61:80 -g -w 0");
    assertThat(o).contains("     -> 192.168.0.61:80              Route   0      0          0         ");
    assertThat(o).contains("adopts the table: 0 changes");
  }

  @Test
  void help_listsEveryCommand() {
    assertThat(run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    for (String command : new String[] {"check", "show", "apply", "run", "genhash", "demo"}) {
      assertThat(help).containsPattern("(?m)^  " + command + "\\b");
    }
  }

  @Test
  void unknownCommand_exits2WithAMessage() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"frobnicate\"");
  }

  @Test
  void noArguments_printsUsageAndExits2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: lbctl");
  }
}

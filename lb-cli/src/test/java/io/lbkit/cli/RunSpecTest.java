package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.runtime.Dataplane;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code run}'s programmatic model ({@link RunSpec}): the same help, errors and exit codes whether lbctl dispatches
 * {@code run} directly (its first argument) or through its full annotated model, the help the annotations gave, and
 * every option parsed without picocli's java.sql/java.time converters.
 */
class RunSpecTest {
  @TempDir Path dir;

  /** Exit code, stdout and stderr of one call. */
  record Result(int code, String out, String err) {}

  /** {@code lbctl ARGS} as {@code main} runs it: {@code run} first is the direct path. */
  private Result direct(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Lbctl.run(args, print(out), print(err), dir);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The same through lbctl's full annotated model (every command, as {@code lbctl --help} builds it). */
  private Result throughFullModel(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = Lbctl.commandLine(print(out), print(err), dir);
    assertThat(cl.getSubcommands()).containsKey("check"); // really the full model
    int code = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  @Test
  void runHelp_directAndThroughTheFullModel_areIdentical_andAsTheAnnotationsGaveIt() throws IOException {
    Result direct = direct("run", "--help");
    assertThat(direct.code()).isZero();
    assertThat(direct.err()).isEmpty();
    assertThat(throughFullModel("run", "--help")).isEqualTo(direct);
    assertThat(throughFullModel("help", "run")).isEqualTo(direct);
    assertThat(direct("run", "-h")).isEqualTo(direct);
    // captured from lbctl run --help when run was defined by annotations (RunCommand before RunSpec)
    try (InputStream in = RunSpecTest.class.getResourceAsStream("run-help.txt")) {
      assertThat(direct.out()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--frob", "--check-threads=abc k.conf", "--dataplane xdp k.conf", "a.conf b.conf",
      "--etcd http://127.0.0.1:1", "--status-file", "--http-allow-remote=maybe k.conf", "--check-threads 0 k.conf",
      "--name n k.conf", ""})
  void usageError_directAndThroughTheFullModel_sameMessageAndExitCode2(String argLine) {
    String[] args = ("run " + argLine).strip().split(" ");
    Result direct = direct(args);
    assertThat(direct.code()).isEqualTo(2);
    assertThat(direct.out()).isEmpty();
    assertThat(direct.err()).startsWith("lbctl run: ").endsWith("Try 'lbctl run --help' for more information."
        + System.lineSeparator());
    assertThat(throughFullModel(args)).isEqualTo(direct);
  }

  @Test
  void unknownOption_message_isTheParsersOwn() {
    assertThat(direct("run", "--frob").err()).isEqualTo("lbctl run: Unknown option: '--frob'" + System.lineSeparator()
        + "Try 'lbctl run --help' for more information." + System.lineSeparator());
  }

  @Test
  void completion_listsRunsOptionsInTheAnnotationsOrder() {
    Result r = direct("generate-completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("local arg_opts=\"'--etcd' '--key' '--name' '--bgp' '--vtysh' '--gobgp' '--asn' "
        + "'--lease-ttl' '--netns' '--check-threads' '--dataplane' '--status-file' '--control' '--http'\"");
  }

  private RunCommand parse(String... args) {
    CommandLine cl = Lbctl.commandLine(print(new ByteArrayOutputStream()), print(new ByteArrayOutputStream()), dir,
        args);
    return (RunCommand) cl.parseArgs(args).subcommand().commandSpec().userObject();
  }

  @Test
  void everyOption_isParsed_withoutJavaTimeOrSqlConverters() {
    String before = System.getProperty(Lbctl.CONVERTER_EXCLUDES);
    System.setProperty(Lbctl.CONVERTER_EXCLUDES, Lbctl.RUN_CONVERTER_EXCLUDES);
    try {
      RunCommand r = parse("run", "--name", "d1", "--bgp=frr", "--vtysh", "vtysh -N x", "--gobgp", "gobgp -p 1",
          "--asn", "65001", "--lease-ttl", "7", "--netns", "ns1", "--check-threads", "3", "--dataplane", "nftables",
          "--status-file", "/tmp/s.json", "--control", "none", "--http", "127.0.0.1:9100", "--http-allow-remote",
          "--http-metrics-detail", "--etcd", "http://a:1,http://b:2", "--key", "k", "k.conf");
      assertThat(List.of(r.file, r.directorName, r.bgp, r.vtysh, r.gobgp, r.netns, r.control, r.http))
          .containsExactly("k.conf", "d1", "frr", "vtysh -N x", "gobgp -p 1", "ns1", "none", "127.0.0.1:9100");
      assertThat(r.asn).isEqualTo(65001L);
      assertThat(r.leaseTtl).isEqualTo(7);
      assertThat(r.checkThreads).isEqualTo(3);
      assertThat(r.dataplane).isEqualTo(Dataplane.NFTABLES);
      assertThat(r.statusFile).isEqualTo(Path.of("/tmp/s.json"));
      assertThat(r.httpAllowRemote).isTrue();
      assertThat(r.httpMetricsDetail).isTrue();
      assertThat(r.etcd.endpoints).containsExactly("http://a:1", "http://b:2");
      assertThat(r.etcd.key).isEqualTo("k");
    } finally {
      if (before == null) {
        System.clearProperty(Lbctl.CONVERTER_EXCLUDES);
      } else {
        System.setProperty(Lbctl.CONVERTER_EXCLUDES, before);
      }
    }
  }

  @Test
  void noOption_leavesTheDefaults_andNoFleetMode() {
    RunCommand r = parse("run", "k.conf");
    assertThat(r.etcd).isNull();
    assertThat(r.vtysh).isEqualTo("vtysh");
    assertThat(r.leaseTtl).isEqualTo(5);
    assertThat(r.checkThreads).isEqualTo(1);
    assertThat(r.dataplane).isEqualTo(Dataplane.AUTO);
    assertThat(List.of(r.httpAllowRemote, r.httpMetricsDetail)).containsOnly(false);
    assertThat(r.asn).isNull();
    assertThat(r.statusFile).isNull();
  }
}

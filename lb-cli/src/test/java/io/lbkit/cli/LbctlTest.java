package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** lbctl's parser: help, version, completion, and the same usage errors in every subcommand. */
class LbctlTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  int run(String... args) {
    return Lbctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), dir);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void help_listsEveryCommand_andTheExitCodes() {
    assertThat(run("--help")).isZero();
    for (String command : new String[] {"check", "show", "apply", "run", "status", "genhash", "generate-completion",
        "help"}) {
      assertThat(out()).containsPattern("(?m)^  " + command + "\\b");
    }
    assertThat(out()).contains("Exit codes: 0 ok, 1 failure or findings, 2 usage error");
    assertThat(err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "show", "apply", "run", "status", "genhash"})
  void subcommandHelp_isGenerated_withItsUsageAndExitCodes(String command) {
    assertThat(run(command, "--help")).isZero();
    assertThat(out()).startsWith("Usage: lbctl " + command).contains("Exit codes:").contains("-h, --help");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "show", "apply", "run", "status", "genhash"})
  void unknownOption_isRefusedTheSameWayEverywhere_exit2(String command) {
    assertThat(run(command, "--frob")).isEqualTo(2);
    assertThat(err()).startsWith("lbctl " + command + ": Unknown option: '--frob'")
        .contains("Try 'lbctl " + command + " --help' for more information.");
    assertThat(out()).isEmpty();
  }

  @Test
  void helpCommand_explainsOneCommand() {
    assertThat(run("help", "check")).isZero();
    assertThat(out()).startsWith("Usage: lbctl check");
  }

  @Test
  void version_namesTheProjectVersionAndJava() {
    assertThat(run("--version")).isZero();
    assertThat(out()).startsWith("lbctl " + Version.lbkit() + "\n").contains("Java " + System.getProperty("java.version"));
    assertThat(Version.lbkit()).as("filtered from the pom").matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void generateCompletion_printsABashCompletionScriptForEveryCommand() {
    assertThat(run("generate-completion")).isZero();
    assertThat(out()).contains("complete -F _complete_lbctl", "check", "genhash", "--dry-run");
  }

  @Test
  void unknownCommand_exits2_withSuggestions() {
    assertThat(run("chek")).isEqualTo(2);
    assertThat(err()).contains("lbctl: Unmatched argument at index 0: 'chek'").contains("check")
        .contains("Try 'lbctl --help'");
  }

  @Test
  void noArguments_printsUsageOnStderr_andExits2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).startsWith("Usage: lbctl");
    assertThat(out()).isEmpty();
  }

  @Test
  void missingParameter_isAUsageError() {
    assertThat(run("check")).isEqualTo(2);
    assertThat(err()).contains("lbctl check: Missing required parameter: 'FILE'");
  }

  @Test
  void netnsOption_takesBothForms() {
    // a name no namespace can have: refused by the same check whichever way it was given
    assertThat(run("show", "--netns=../x")).isEqualTo(1);
    assertThat(run("show", "--netns", "../x")).isEqualTo(1);
    assertThat(err().lines()).hasSize(2).allMatch(l -> l.contains("invalid network namespace name: \"../x\""));
  }

  @Test
  void controlCharactersInArguments_areEscapedInMessages() {
    assertThat(run("check", "--\u001b[31mred")).isEqualTo(2);
    assertThat(err()).doesNotContain("\u001b").contains("\\x1b[31mred");
  }

  private java.util.Set<String> commandsBuiltFor(String... args) {
    return Lbctl.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), dir, args).getSubcommands().keySet();
  }

  @Test
  void namedCommand_buildsOnlyItsOwnModel_whileHelpCompletionAndOptionsGetThemAll() {
    assertThat(commandsBuiltFor("check", "k.conf")).containsExactly("check");
    assertThat(commandsBuiltFor("run", "--help")).containsExactly("run");
    java.util.List<String> all = java.util.List.of("check", "show", "apply", "run", "status", "events", "put", "fleet",
        "genhash", "generate-completion", "help");
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "check"}, {"generate-completion"}, {"chek"},
        {"-V"}}) {
      assertThat(commandsBuiltFor(args)).as(String.join(" ", args)).containsExactlyElementsOf(all);
    }
  }
}

package io.lbkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** lbctl's parser: help, version, completion, and the same usage errors in every subcommand. */
class LbctlTest {
  private InProcessLbctl lbctl;
  @TempDir Path dir;

  @BeforeEach
  void lbctl() {
    lbctl = new InProcessLbctl(dir);
  }

  @Test
  void help_listsEveryCommand_andTheExitCodes() {
    assertThat(lbctl.run("--help")).isZero();
    for (String command : new String[] {"check", "show", "apply", "run", "status", "genhash", "generate-completion",
        "help"}) {
      assertThat(lbctl.out()).containsPattern("(?m)^  " + command + "\\b");
    }
    assertThat(lbctl.out()).contains("Exit codes: 0 ok, 1 failure or findings, 2 usage error");
    assertThat(lbctl.err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "show", "apply", "run", "status", "genhash"})
  void subcommandHelp_isGenerated_withItsUsageAndExitCodes(String command) {
    assertThat(lbctl.run(command, "--help")).isZero();
    assertThat(lbctl.out()).startsWith("Usage: lbctl " + command).contains("Exit codes:").contains("-h, --help");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "show", "apply", "run", "status", "genhash"})
  void unknownOption_isRefusedTheSameWayEverywhere_exit2(String command) {
    assertThat(lbctl.run(command, "--frob")).isEqualTo(2);
    assertThat(lbctl.err()).startsWith("lbctl " + command + ": Unknown option: '--frob'")
        .contains("Try 'lbctl " + command + " --help' for more information.");
    assertThat(lbctl.out()).isEmpty();
  }

  @Test
  void helpCommand_explainsOneCommand() {
    assertThat(lbctl.run("help", "check")).isZero();
    assertThat(lbctl.out()).startsWith("Usage: lbctl check");
  }

  @Test
  void version_namesTheProjectVersionAndJava() {
    assertThat(lbctl.run("--version")).isZero();
    assertThat(lbctl.out()).startsWith("lbctl " + Version.lbkit() + "\n").contains("Java " + System.getProperty("java.version"));
    assertThat(Version.lbkit()).as("filtered from the pom").matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void generateCompletion_printsABashCompletionScriptForEveryCommand() {
    assertThat(lbctl.run("generate-completion")).isZero();
    assertThat(lbctl.out()).contains("complete -F _complete_lbctl", "check", "genhash", "--dry-run");
  }

  @Test
  void unknownCommand_exits2_withSuggestions() {
    assertThat(lbctl.run("chek")).isEqualTo(2);
    assertThat(lbctl.err()).contains("lbctl: Unmatched argument at index 0: 'chek'").contains("check")
        .contains("Try 'lbctl --help'");
  }

  @Test
  void noArguments_printsUsageOnStderr_andExits2() {
    assertThat(lbctl.run()).isEqualTo(2);
    assertThat(lbctl.err()).startsWith("Usage: lbctl");
    assertThat(lbctl.out()).isEmpty();
  }

  @Test
  void missingParameter_isAUsageError() {
    assertThat(lbctl.run("check")).isEqualTo(2);
    assertThat(lbctl.err()).contains("lbctl check: Missing required parameter: 'FILE'");
  }

  @Test
  void netnsOption_takesBothForms() {
    // a name no namespace can have: refused by the same check whichever way it was given
    assertThat(lbctl.run("show", "--netns=../x")).isEqualTo(1);
    assertThat(lbctl.run("show", "--netns", "../x")).isEqualTo(1);
    assertThat(lbctl.err().lines()).hasSize(2).allMatch(l -> l.contains("invalid network namespace name: \"../x\""));
  }

  @Test
  void controlCharactersInArguments_areEscapedInMessages() {
    assertThat(lbctl.run("check", "--\u001b[31mred")).isEqualTo(2);
    assertThat(lbctl.err()).doesNotContain("\u001b").contains("\\x1b[31mred");
  }

  private java.util.Set<String> commandsBuiltFor(String... args) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    return Lbctl.commandLine(discard, discard, dir, args).getSubcommands().keySet();
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

package io.lbkit.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code lbctl}: the lbkit command line ({@code java -jar lbctl.jar --help} lists the
 * subcommands, {@code lbctl COMMAND --help} explains one). Every subcommand parses its
 * arguments the same way (picocli): {@code --opt=value} and {@code --opt value} both
 * work, an unknown option is refused with the parser's message and a hint. Exit codes:
 * 0 ok, 1 failure or findings, 2 usage error or unreadable input.
 */
@Command(name = "lbctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"lbkit: keepalived as a Java library. Reads keepalived.conf; programs IPVS over netlink; runs VRRP "
        + "and health checks."},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {"Exit codes: 0 ok, 1 failure or findings, 2 usage error or unreadable input.",
        "lbctl COMMAND --help explains one command."},
    // no subcommands = {...}: commandLine adds them, only the invoked one when args[0] names it (see COMMANDS)
    synopsisSubcommandLabel = "COMMAND")
public final class Lbctl implements Callable<Integer> {
  /**
   * lbctl's commands in the order {@code --help} lists them. Built lazily: picocli's model of a command (reflection
   * over its annotated fields, one proxy per annotation) is a fixed share of every start, so {@code lbctl check FILE}
   * builds {@code check}'s model only. Anything else ({@code --help}, {@code help}, {@code generate-completion}, an
   * option or an unknown word first) gets all of them, so listings, completion and suggestions stay complete.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();
  /** picocli's system property naming (regular expressions) the built-in converters it should not register. */
  static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
  /**
   * What {@code lbctl run} excludes (unless the property is given): picocli registers its converters for java.sql's and
   * java.time's types by reflection (Class.forName, getDeclaredMethod: ~70 classes loaded and initialised, ~17 ms) in
   * every parser it makes; {@code run} has no option of those types (RunSpecTest parses each of its options so).
   */
  static final String RUN_CONVERTER_EXCLUDES = "java\\.sql\\..*,java\\.time\\..*";
  final PrintStream out;
  final PrintStream err;
  /** Where {@code lbctl run} and {@code lbctl status} meet ({@link ControlSocket#DIR}; another in tests). */
  final Path socketDir;
  @Spec CommandSpec spec;

  private Lbctl(PrintStream out, PrintStream err, Path socketDir) {
    this.out = out;
    this.err = err;
    this.socketDir = socketDir;
  }

  /** Entry point. */
  public static void main(String[] args) {
    Signals.ownProcess = true;
    if (args.length > 0 && args[0].equals("run") && System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, RUN_CONVERTER_EXCLUDES);
    }
    WarmUp.start(args);
    System.exit(run(args, System.out, System.err));
  }

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("check", CheckCommand::new);
    m.put("show", ShowCommand::new);
    m.put("apply", ApplyCommand::new);
    m.put("run", RunCommand::spec); // programmatic (RunSpec): no annotation proxies
    m.put("status", StatusCommand::new);
    m.put("events", EventsCommand::new);
    m.put("put", PutCommand::new);
    m.put("fleet", FleetCommand::new);
    m.put("genhash", GenhashCommand::new);
    // lambdas, not constructor references: a reference to an old (Java 5) picocli class links it when the class-data
    // sharing archive is dumped, which then leaves it out ("Old class has been linked"); so do handler lambdas below
    m.put("generate-completion", () -> new AutoComplete.GenerateCompletion());
    m.put("help", () -> new CommandLine.HelpCommand());
    return Collections.unmodifiableMap(m);
  }

  /** Runs lbctl with these arguments; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, ControlSocket.DIR);
  }

  /** The same with another control socket directory (tests). */
  static int run(String[] args, PrintStream out, PrintStream err, Path socketDir) {
    CommandLine cl = commandLine(out, err, socketDir, args);
    try {
      return cl.execute(args);
    } finally {
      cl.getOut().flush();
      cl.getErr().flush();
    }
  }

  /** The parser with every command, wired to these streams. */
  static CommandLine commandLine(PrintStream out, PrintStream err, Path socketDir) {
    return commandLine(out, err, socketDir, new String[0]);
  }

  /**
   * The parser for {@code args}, wired to these streams: only the command {@code args[0]} names when it is one of
   * lbctl's own (not {@code help} or {@code generate-completion}, which describe the others), else every command.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, Path socketDir, String[] args) {
    String first = args.length > 0 ? args[0] : "";
    Lbctl lbctl = new Lbctl(out, err, socketDir);
    // run first: its parent needs no model of its own (nothing before "run" to parse; the name for "lbctl run"), so
    // that start reads no annotation at all (see RunSpec)
    CommandLine cl = first.equals("run") ? new CommandLine(CommandSpec.wrapWithoutInspection(lbctl).name("lbctl"))
        : new CommandLine(lbctl);
    if (COMMANDS.containsKey(first) && !first.equals("help") && !first.equals("generate-completion")) {
      cl.addSubcommand(COMMANDS.get(first).get());
    } else {
      COMMANDS.values().forEach(c -> cl.addSubcommand(c.get()));
    }
    cl.setOut(writerOf(out));
    cl.setErr(writerOf(err));
    cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(new ExecutionErrors());
    // picocli hides its completion command by default; an operator should find it in --help
    CommandLine completion = cl.getSubcommands().get("generate-completion");
    if (completion != null) {
      completion.getCommandSpec().usageMessage().hidden(false);
    }
    return cl;
  }

  /** A writer into {@code s} that encodes with {@code s}'s own charset. */
  private static PrintWriter writerOf(PrintStream s) {
    return new PrintWriter(new Writer() {
      @Override
      public void write(char[] b, int off, int len) {
        s.print(new String(b, off, len));
      }

      @Override
      public void flush() {
        s.flush();
      }

      @Override
      public void close() {
        s.flush();
      }
    }, true);
  }

  /** Usage errors as {@link #usageError} reports them (a class, not a lambda: see {@link #commands}). */
  private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      return usageError(e, args);
    }
  }

  /** A bug or an unexpected I/O failure: one line, no stack trace; exit 1 (a class, not a lambda: see {@link #commands}). */
  private static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine c, CommandLine.ParseResult parsed) {
      c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + Text.safe(String.valueOf(e.getMessage())));
      return 1;
    }
  }

  /** A usage error, the same for every subcommand: the parser's message, suggestions, a hint; exit 2. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine c = e.getCommandLine();
    if (e instanceof MissingParameterException && !c.getUnmatchedArguments().isEmpty()) {
      // "lbctl check --frob": the unknown option is the mistake, not the FILE it hid
      e = new UnmatchedArgumentException(c, c.getUnmatchedArguments());
    }
    PrintWriter w = c.getErr();
    String name = c.getCommandSpec().qualifiedName();
    w.println(name + ": " + Text.safe(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, w);
    w.println("Try '" + name + " --help' for more information.");
    w.flush();
    return 2;
  }

  /** {@code lbctl} alone: the usage on stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli alone, nothing of lbkit's (picocli-floor.sh): a model shaped like lbctl's {@code RunSpec} (the same option
 * kinds, types, group, converter and the same programmatic API, under a parent wrapped without inspection), parses
 * its arguments ({@code run FILE --control none}) and prints "T main newCommandLine model parsed parsed cpu wait": the
 * wall clock (ms) at main, after the parent's CommandLine, after run's model, after the parse (twice: LbctlParsed's
 * line has a fifth point); then the main thread's CPU and run-queue wait (ms, /proc/thread-self/schedstat).
 */
public class PicocliAlone {
  enum Dp { IPVS, NFTABLES, AUTO }

  final Map<String, Object> values = new LinkedHashMap<>();

  /** One option's value in {@link #values} (a class: a lambda of an old picocli interface cannot be archived). */
  static final class Field implements IGetter, ISetter {
    private final PicocliAlone c;
    private final String name;

    Field(PicocliAlone c, String name) {
      this.c = c;
      this.name = name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) c.values.get(name);
    }

    @Override
    public <T> T set(T value) {
      T old = get();
      c.values.put(name, value);
      return old;
    }
  }

  static final class DpConverter implements ITypeConverter<Dp>, Iterable<String> {
    @Override
    public Dp convert(String s) {
      return Dp.valueOf(s.toUpperCase(Locale.ROOT));
    }

    @Override
    public Iterator<String> iterator() {
      return List.of("ipvs", "nftables", "auto").iterator();
    }
  }

  static OptionSpec.Builder option(PicocliAlone c, String name, String label, Class<?> type, Object initial) {
    Field f = new Field(c, name);
    OptionSpec.Builder b = OptionSpec.builder(name).type(type).initialValue(initial).getter(f).setter(f)
        .description("What " + name + " does, in a sentence long enough to be wrapped in the help's column.");
    return label == null ? b : b.paramLabel(label);
  }

  static CommandSpec spec(PicocliAlone c) {
    CommandSpec s = CommandSpec.wrapWithoutInspection(c).name("run");
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "stopped");
    codes.put("1", "errors");
    codes.put("2", "usage");
    s.usageMessage().sortOptions(false).description("Run a keepalived.conf.").exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(codes);
    s.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("0..1").type(String.class)
        .description("The file.").setter(new Field(c, "file")).getter(new Field(c, "file")).build());
    s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class).description("Help.")
        .initialValue(false).build());
    s.addArgGroup(ArgGroupSpec.builder().exclusive(false).multiplicity("0..1").heading("%nFleet:%n")
        .addArg(option(c, "--etcd", "URL", List.class, null).auxiliaryTypes(String.class).splitRegex(",")
            .required(true).build())
        .addArg(option(c, "--key", "KEY", String.class, null).required(true).build()).build());
    s.addOption(option(c, "--name", "NAME", String.class, null).build());
    s.addOption(option(c, "--bgp", "B", String.class, null).build());
    s.addOption(option(c, "--vtysh", "C", String.class, "vtysh").build());
    s.addOption(option(c, "--gobgp", "C", String.class, null).build());
    s.addOption(option(c, "--asn", "N", Long.class, null).build());
    s.addOption(option(c, "--lease-ttl", "S", int.class, 5).build());
    s.addOption(option(c, "--netns", "NAME", String.class, null).build());
    s.addOption(option(c, "--check-threads", "N", int.class, 1).build());
    DpConverter d = new DpConverter();
    s.addOption(option(c, "--dataplane", "D", Dp.class, Dp.AUTO).converters(d).completionCandidates(d).build());
    s.addOption(option(c, "--status-file", "PATH", Path.class, null).build());
    s.addOption(option(c, "--control", "PATH", String.class, null).build());
    s.addOption(option(c, "--http", "A", String.class, null).build());
    s.addOption(option(c, "--http-allow-remote", null, boolean.class, false).build());
    s.addOption(option(c, "--http-metrics-detail", null, boolean.class, false).build());
    return s;
  }

  /** The calling thread's CPU and run-queue wait so far, ms. */
  static String schedstat() {
    try {
      String[] p = new String(Files.readAllBytes(Paths.get("/proc/thread-self/schedstat"))).trim().split(" ");
      return Long.parseLong(p[0]) / 1_000_000 + " " + Long.parseLong(p[1]) / 1_000_000;
    } catch (Exception e) {
      return "-1 -1";
    }
  }

  public static void main(String[] args) {
    long main = System.currentTimeMillis();
    // as lbctl's main does for run: no reflective java.sql/java.time converters
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    }
    CommandLine cl = new CommandLine(CommandSpec.wrapWithoutInspection(new Object()).name("lbctl"));
    long parent = System.currentTimeMillis();
    PicocliAlone c = new PicocliAlone();
    cl.addSubcommand(new CommandLine(spec(c)));
    PrintWriter w = new PrintWriter(new Writer() {
      @Override
      public void write(char[] b, int off, int len) {
        System.out.print(new String(b, off, len));
      }

      @Override
      public void flush() {
        System.out.flush();
      }

      @Override
      public void close() {}
    });
    cl.setOut(w);
    cl.setErr(w);
    cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    long model = System.currentTimeMillis();
    cl.parseArgs(args);
    long parsed = System.currentTimeMillis();
    String cpu = schedstat();
    if (!"none".equals(c.values.get("--control"))) {
      throw new AssertionError("not parsed: " + c.values);
    }
    System.out.println("T " + main + " " + parent + " " + model + " " + parsed + " " + parsed + " " + cpu);
    System.exit(0);
  }
}

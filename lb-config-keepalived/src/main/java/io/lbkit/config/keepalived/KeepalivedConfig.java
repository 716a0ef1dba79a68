package io.lbkit.config.keepalived;

import io.lbkit.api.LoadBalancerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A keepalived.conf read into an lbkit {@link LoadBalancerSpec}, with every finding as a
 * {@link Diagnostic}; and the way back ({@link #export(LoadBalancerSpec)}).
 *
 * <pre>{@code
 * KeepalivedConfig c = KeepalivedConfig.parse(Path.of("/etc/keepalived/keepalived.conf"));
 * c.diagnostics().forEach(d -> System.err.println(d.format()));
 * if (!c.hasErrors()) {
 *   LoadBalancerSpec spec = c.spec();
 * }
 * }</pre>
 *
 * <p>The whole language is read: comments, blocks, quoted strings with escapes,
 * {@code include} (globs, braces, relative to the including file, cycles reported),
 * {@code $NAME=value} parameters, {@code @id}/{@code @^id} conditional lines and
 * {@code ~SEQ}/{@code ~LST} loops. A parse never throws for bad content and never runs
 * past {@link Options#timeout()}.
 */
public final class KeepalivedConfig {
  private final LoadBalancerSpec spec;
  private final List<Diagnostic> diagnostics;
  /** What the next parse of the same file may reuse (hashes and spans, no text); null: nothing. */
  private final ParseMemo memo;

  private KeepalivedConfig(LoadBalancerSpec spec, List<Diagnostic> diagnostics, ParseMemo memo) {
    this.spec = spec;
    this.diagnostics = diagnostics;
    this.memo = memo;
  }

  static KeepalivedConfig of(LoadBalancerSpec spec, List<Diagnostic> diagnostics, ParseMemo memo) {
    return new KeepalivedConfig(spec, diagnostics, memo);
  }

  /** The memo kept for the next parse (null if none), for tests. */
  ParseMemo memo() {
    return memo;
  }

  /**
   * How to read a configuration.
   *
   * @param configId the id {@code @id} lines are compared with (keepalived's {@code -i})
   * @param timeout a parse stops with an error diagnostic after this long
   * @param maxLines a parse stops with an error after this many lines (after loops and includes)
   * @param interfaces the host's interfaces and their addresses, to check VIPs against
   *     their subnets; empty (the default) means the check does not look at the host
   * @param reloadable whether a parse of a file keeps what a later
   *     {@link KeepalivedConfig#parse(Path, Options, KeepalivedConfig)} of it reuses (a hash of
   *     each line of each file read, computed on a helper thread for a file of 1 Mi chars or
   *     more); true by default. A one-shot read that is never reloaded ({@code lbctl check})
   *     sets it false and skips that work: its result, given as {@code previous}, makes that
   *     call a full parse. Parses of text keep nothing either way.
   */
  public record Options(String configId, Duration timeout, long maxLines,
      java.util.Map<String, List<io.lbkit.api.net.IfAddress>> interfaces, boolean reloadable) {
    /** Validates and copies. */
    public Options {
      interfaces = java.util.Map.copyOf(interfaces);
      Objects.requireNonNull(configId, "configId");
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      if (maxLines < 1) {
        throw new IllegalArgumentException("maxLines must be at least 1: " + maxLines);
      }
    }

    /**
     * keepalived's default config id (the host name up to its first dot), 60 s, 20 million lines,
     * no host interfaces, reloadable.
     */
    public static Options defaults() {
      return new Options(defaultConfigId(), Duration.ofSeconds(60), 20_000_000L, java.util.Map.of(), true);
    }

    /** The same with this config id. */
    public Options withConfigId(String id) {
      return new Options(id, timeout, maxLines, interfaces, reloadable);
    }

    /** The same with this time limit. */
    public Options withTimeout(Duration t) {
      return new Options(configId, t, maxLines, interfaces, reloadable);
    }

    /**
     * The same, checking each VRRP VIP against the subnets of its interface here (a VIP
     * outside all of them is a warning: it will not be reachable on that link).
     */
    public Options withInterfaces(java.util.Map<String, List<io.lbkit.api.net.IfAddress>> host) {
      return new Options(configId, timeout, maxLines, host, reloadable);
    }

    /** The same with this line limit. */
    public Options withMaxLines(long n) {
      return new Options(configId, timeout, n, interfaces, reloadable);
    }

    /**
     * The same, keeping (true) or not (false) what a reload of the file reuses: false for a
     * file read once and never reloaded, see {@link #reloadable()}.
     */
    public Options withReloadable(boolean keep) {
      return new Options(configId, timeout, maxLines, interfaces, keep);
    }

    private static String defaultConfigId() {
      String h = io.lbkit.api.net.Inet.hostName();
      int dot = h.indexOf('.');
      return dot > 0 ? h.substring(0, dot) : h;
    }
  }

  /**
   * Reads a file with {@link Options#defaults()}.
   *
   * @throws IOException only if the file itself cannot be read (missing includes are diagnostics)
   */
  public static KeepalivedConfig parse(Path file) throws IOException {
    return parse(file, Options.defaults());
  }

  /**
   * Reads a file; its name in diagnostics is {@code file} as given. Only a regular text
   * file of at most 16 MiB is read, within 10 s: a directory, device, FIFO or socket is
   * refused without being opened, and so is a binary file (a NUL byte, or control bytes
   * and invalid UTF-8, in its first KiB). Included files follow the same rules; one that
   * breaks them is a diagnostic (a warning for {@code include}, as keepalived skips it).
   *
   * @throws IOException only if the file itself cannot be read; the message says why
   *     ("is a FIFO, not a regular file", "binary file (NUL byte at offset 3)...")
   */
  public static KeepalivedConfig parse(Path file, Options options) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    Diags diags = new Diags();
    Includes includes = new Includes(diags);
    Mapper mapper = new Mapper(diags, options.interfaces());
    TreeBuilder tree = new TreeBuilder(diags, mapper::top);
    Lexer lexer = lexer(diags, options, includes, tree);
    if (!options.reloadable()) { // nothing kept: no line hashes (the components skip what a null memo would get)
      try {
        includes.root(file, file.toString(), lexer);
      } catch (Lexer.Abort e) {
        // reported
      }
      return finish(tree, mapper, diags);
    }
    ParseMemo memo = new ParseMemo(options, file.toAbsolutePath().normalize(), false);
    includes.memo(memo);
    lexer.memo(memo);
    mapper.memo(memo);
    try {
      includes.root(file, file.toString(), lexer);
    } catch (Lexer.Abort e) {
      memo.disable(); // the limit that stopped it is a diagnostic already
    }
    Node root = tree.finish();
    LoadBalancerSpec spec = mapper.map(root);
    if (!memo.disabled()) {
      memo.finish(lexer.emitted(), diags);
    }
    return new KeepalivedConfig(spec, diags.sorted(), memo.disabled() || diags.truncated() ? null : memo);
  }

  /**
   * Reads a file again after {@code previous} was read from it with equal options (the same
   * path as given, config id, line limit and interfaces), redoing only what changed: files whose
   * lines are all unchanged are not lexed again, and when the change lies inside one
   * {@code virtual_server} block (of one address or fwmark, no group, no track_file, MISC_CHECK or
   * sorry_server; the file keeps its line count; no parameters, conditionals or loops in the
   * configuration) only that block is read and mapped again. Otherwise, or when
   * {@code previous} is null, came from elsewhere or was read with options that are not
   * {@link Options#reloadable() reloadable}, or when {@code options} are not, this is
   * {@link #parse(Path, Options)}. The
   * result, diagnostics included, is always the one that call gives. The previous result keeps
   * a 64-bit hash and a few numbers per top-level statement for this, never the text.
   *
   * @throws IOException only if the file itself cannot be read
   */
  public static KeepalivedConfig parse(Path file, Options options, KeepalivedConfig previous) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    if (previous != null && options.reloadable()) {
      KeepalivedConfig again = Reparse.tryAgain(previous, previous.memo, file, options);
      if (again != null) {
        return again;
      }
    }
    return parse(file, options);
  }

  /**
   * Reads configuration text; {@code name} is used in diagnostics and includes resolve
   * against {@code dir}.
   */
  public static KeepalivedConfig parse(String text, String name, Path dir, Options options) {
    Objects.requireNonNull(text, "text");
    Diags diags = new Diags();
    Includes includes = new Includes(diags);
    Mapper mapper = new Mapper(diags, options.interfaces());
    TreeBuilder tree = new TreeBuilder(diags, mapper::top);
    try {
      includes.rootText(name, dir, text, lexer(diags, options, includes, tree));
    } catch (Lexer.Abort e) {
      // reported
    }
    return finish(tree, mapper, diags);
  }

  private static Lexer lexer(Diags diags, Options o, Includes includes, TreeBuilder tree) {
    long deadline = System.nanoTime() + o.timeout().toNanos();
    diags.deadline(deadline);
    return new Lexer(diags, o.configId(), deadline, o.maxLines(), includes, tree);
  }

  /**
   * The statements the tree still holds (the lexer hands each finished top-level statement to
   * the mapper as it goes, so that a large file's whole tree is never alive at once), then the spec.
   */
  private static KeepalivedConfig finish(TreeBuilder tree, Mapper mapper, Diags diags) {
    Node root = tree.finish();
    LoadBalancerSpec spec = mapper.map(root);
    return new KeepalivedConfig(spec, diags.sorted(), null);
  }

  /** keepalived.conf text for a spec; {@code parse} of it gives an equal spec. */
  public static String export(LoadBalancerSpec spec) {
    return Exporter.export(spec);
  }

  /** What the configuration describes (the parts that could be read). */
  public LoadBalancerSpec spec() {
    return spec;
  }

  /** Every finding, sorted by file, line and column. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** True if any finding is an error. */
  public boolean hasErrors() {
    for (Diagnostic d : diagnostics) {
      if (d.isError()) {
        return true;
      }
    }
    return false;
  }
}

package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * keepalived's line preprocessing: conditional lines ({@code @id}, {@code @^id}),
 * parameter definitions ({@code $NAME=value}, multi-line with {@code \}), substitution
 * ({@code $NAME}, {@code ${NAME}}, built-ins), {@code ~SEQ}/{@code ~LST} loops and
 * tokenizing (comments, quotes, escapes, braces). Includes are resolved by
 * {@link Includes}; finished token lines go to a {@link LineSink}.
 *
 * <p>Every loop is bounded: substitution depth and count, total lines emitted, and a
 * deadline, so that no input makes it hang.
 */
final class Lexer {
  /** Receives each finished line of tokens (a list reused for the next line: copy what is kept). */
  interface LineSink {
    void line(List<Token> tokens);
  }

  /** Thrown to stop a run that went over a limit; the reason is already a diagnostic. */
  static final class Abort extends RuntimeException {
    Abort() {
      super(null, null, false, false);
    }
  }

  static final int MAX_DEPTH = 40;
  static final int MAX_SUBSTITUTIONS = 10_000;
  static final int MAX_LINE_CHARS = 1 << 20;
  /** Characters copied while substituting one line: stops definitions that grow exponentially. */
  static final long MAX_WORK = 16L << 20;

  private final Diags diags;
  private final String configId;
  private final long deadline;
  private final long maxLines;
  private final Includes includes;
  private final LineSink sink;
  private final Map<String, List<String>> defs = new HashMap<>();
  private final Tokenizer.Words words = new Tokenizer.Words();
  /** The current line's tokens (one list, cleared per line: the sink copies what it keeps). */
  private final List<Token> lineTokens = new ArrayList<>();
  /** The current line's characters, for {@link #ordinary}. */
  private char[] lineChars = new char[256];
  private long emitted;
  private int tick;
  /** Told when a line uses what a one-block re-parse cannot follow; null: nobody asks. */
  private ParseMemo memo;

  Lexer(Diags diags, String configId, long deadlineNanos, long maxLines, Includes includes, LineSink sink) {
    this.diags = diags;
    this.configId = configId;
    this.deadline = deadlineNanos;
    this.maxLines = maxLines;
    this.includes = includes;
    this.sink = sink;
  }

  /**
   * Processes one file's text; {@code dir} is its directory (for _PWD and includes). The lines
   * are cut one at a time ({@code \n} or {@code \r\n} ends one), so that only the current line
   * is a String of its own, not all of a large file's at once.
   */
  void text(String file, String dir, String content, int depth) {
    text(file, dir, content, depth, 0);
  }

  /** The same, numbering the lines from {@code lineOffset + 1} (a block cut out of a file). */
  void text(String file, String dir, String content, int depth, int lineOffset) {
    Lines lines = new Lines(content);
    lines.number = lineOffset;
    while (lines.next()) {
      int lineNo = lines.number;
      if (ordinary(content, lines.start, lines.end, file, lineNo, depth)) {
        continue;
      }
      String raw = lines.line();
      String full = stripConditional(raw, file, lineNo);
      if (full == null) {
        continue;
      }
      String t = firstNonBlank(full) == '$' ? full.strip() : "";
      int eq = defEnd(t);
      if (eq > 0 && t.substring(eq + 1).strip().equals("\\")) {
        special();
        List<String> body = new ArrayList<>();
        while (lines.next()) {
          String l = lines.line();
          String s = l.stripTrailing();
          if (s.endsWith("\\")) {
            body.add(s.substring(0, s.length() - 1));
          } else {
            body.add(l);
            break;
          }
        }
        defs.put(t.substring(1, eq), body);
        continue;
      }
      line(full, file, dir, lineNo, depth);
    }
  }

  /**
   * The usual line, {@code content[from, to)}, without making a String of it: a blank or comment
   * line, or one that is only words (no conditional, definition, loop, parameter or include).
   * Does what {@link #line} does with it and returns true; false for any other line (for the
   * general path).
   */
  private boolean ordinary(String content, int from, int to, String file, int lineNo, int depth) {
    int n = to - from;
    char[] c = n <= MAX_BUFFERED ? buffer(n) : new char[n];
    content.getChars(from, to, c, 0);
    int f = 0;
    while (f < n && Tokenizer.isWhitespace(c[f])) {
      f++;
    }
    char first = f < n ? c[f] : 0;
    boolean comment = first == 0 || first == '#' || first == '!';
    if (!comment) {
      if (first == '@' || first == '$' || first == '~' || content.startsWith("include", from + f)) {
        return false;
      }
      for (int i = f + 1; i < n; i++) {
        if (c[i] == '$') {
          return false;
        }
      }
    }
    if (!checkLine(file, lineNo, depth) || comment) {
      return true;
    }
    lineTokens.clear();
    Tokenizer.tokens(c, n, file, lineNo, diags, words, lineTokens);
    emit(file, lineNo, lineTokens);
    return true;
  }

  /** Lines up to this long are copied into one reused array; a longer one gets an array of its own. */
  private static final int MAX_BUFFERED = 64 * 1024;

  /** The reused line array, at least {@code n} long. */
  private char[] buffer(int n) {
    if (lineChars.length < n) {
      lineChars = new char[Math.max(n, lineChars.length * 2)];
    }
    return lineChars;
  }

  /** The lines of a text as {@code split("\r?\n", -1)} gives them, one at a time. */
  private static final class Lines {
    private final String text;
    private int pos;
    /** The current line is {@code text[start, end)}. */
    int start;
    int end;
    int number;

    Lines(String text) {
      this.text = text;
    }

    boolean next() {
      if (pos > text.length()) {
        return false;
      }
      int nl = text.indexOf('\n', pos);
      int stop = nl < 0 ? text.length() : nl;
      start = pos;
      end = nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : stop;
      number++;
      pos = nl < 0 ? text.length() + 1 : nl + 1;
      return true;
    }

    String line() {
      return text.substring(start, end);
    }
  }

  /** Has {@code m} told of parameters, conditionals, loops and include lines. */
  void memo(ParseMemo m) {
    memo = m;
  }

  /** Token lines handed on so far. */
  long emitted() {
    return emitted;
  }

  private void special() {
    if (memo != null) {
      memo.disable(); // parameters, conditionals and loops make a line depend on others
    }
  }

  /** One logical line (conditionals already handled at its start). */
  private void line(String text, String file, String dir, int lineNo, int depth) {
    if (!checkLine(file, lineNo, depth)) {
      return;
    }
    char first = firstNonBlank(text);
    if (first == 0 || first == '#' || first == '!') {
      return;
    }
    if (first != '$' && first != '~' && first != '@') { // the common case: no definition, loop or conditional
      plain(text, file, dir, lineNo, depth);
      return;
    }
    special();
    String t = text.strip();
    if (t.charAt(0) == '@') {
      text = stripConditional(text, file, lineNo);
      if (text == null) {
        return;
      }
      t = text.strip();
    }
    int eq = defEnd(t);
    if (eq > 0) {
      defs.put(t.substring(1, eq), List.of(t.substring(eq + 1)));
      return;
    }
    if (t.startsWith("~SEQ") || t.startsWith("~LST")) {
      Loops.run(t, file, lineNo, diags, (var, value, rest) -> {
        defs.put(var, List.of(value));
        if (rest != null) {
          line(rest, file, dir, lineNo, depth + 1);
        }
      });
      return;
    }
    plain(text, file, dir, lineNo, depth);
  }

  /**
   * What every line passes first: the deadline (looked at every 256 lines; past it, an error
   * and {@link Abort}), and the nesting depth (too deep: an error, and false: the line is dropped).
   */
  private boolean checkLine(String file, int lineNo, int depth) {
    if (++tick >= 256) {
      tick = 0;
      if (System.nanoTime() - deadline > 0) {
        diags.add(file, lineNo, 0, Diagnostic.Severity.ERROR, "parse time limit exceeded here; stopped");
        throw new Abort();
      }
    }
    if (depth > MAX_DEPTH) {
      diags.add(file, lineNo, 0, Diagnostic.Severity.ERROR,
          "definitions, ~SEQ/~LST or includes nested deeper than " + MAX_DEPTH + "; line dropped");
      return false;
    }
    return true;
  }

  /** The first character that is not whitespace, or 0 for a blank line. */
  private static char firstNonBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return 0;
  }

  /** A line after conditionals, definitions, loops and substitution: an include, or tokens. */
  private void plain(String t, String file, String dir, int lineNo, int depth) {
    if (t.indexOf('$') >= 0) {
      special();
      String s = substitute(t, file, dir, lineNo, depth);
      if (s == null) {
        return;
      }
      if (!s.equals(t)) {
        String st = s.strip();
        if (!st.isEmpty() && (st.charAt(0) == '@' || st.charAt(0) == '~' || defEnd(st) > 0)) {
          line(st, file, dir, lineNo, depth + 1);
          return;
        }
      }
      t = s;
    }
    String inc = Includes.keywordOf(t);
    if (inc != null) {
      if (memo != null) {
        memo.includeLine(file, lineNo);
        if (memo.probe) {
          memo.disable(); // a re-parsed block holds an include: the whole file is read again
          return;
        }
      }
      includes.include(inc, t, file, lineNo, dir, depth, this);
      return;
    }
    lineTokens.clear();
    char[] c = t.toCharArray();
    Tokenizer.tokens(c, c.length, file, lineNo, diags, words, lineTokens);
    emit(file, lineNo, lineTokens);
  }

  /** Hands a line's tokens on, unless there are none; past the line limit, an error and {@link Abort}. */
  private void emit(String file, int lineNo, List<Token> tokens) {
    if (tokens.isEmpty()) {
      return;
    }
    if (++emitted > maxLines) {
      diags.add(file, lineNo, 0, Diagnostic.Severity.ERROR, "configuration expands to more than " + maxLines
          + " lines; stopped");
      throw new Abort();
    }
    sink.line(tokens);
  }

  /**
   * The line with a matching {@code @id} prefix blanked out (columns stay right), the
   * line itself without one, or null if the line is skipped.
   */
  private String stripConditional(String t, String file, int lineNo) {
    int start = 0;
    while (start < t.length() && Character.isWhitespace(t.charAt(start))) {
      start++;
    }
    if (start >= t.length() || t.charAt(start) != '@') {
      return t;
    }
    special();
    int end = start + 1;
    while (end < t.length() && !Character.isWhitespace(t.charAt(end))) {
      end++;
    }
    boolean negate = end > start + 1 && t.charAt(start + 1) == '^';
    String id = t.substring(negate ? start + 2 : start + 1, end);
    if (id.isEmpty()) {
      diags.add(file, lineNo, start + 1, Diagnostic.Severity.ERROR, "conditional '@' without a config id");
      return null;
    }
    boolean match = id.equals(configId);
    return match != negate ? " ".repeat(end) + t.substring(end) : null;
  }

  /** Index of '=' if {@code t} is {@code $NAME=...}, else -1. */
  static int defEnd(String t) {
    if (t.length() < 3 || t.charAt(0) != '$' || !nameStart(t.charAt(1))) {
      return -1;
    }
    int i = 2;
    while (i < t.length() && namePart(t.charAt(i))) {
      i++;
    }
    return i < t.length() && t.charAt(i) == '=' ? i : -1;
  }

  static boolean nameStart(char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean namePart(char c) {
    return nameStart(c) || (c >= '0' && c <= '9');
  }

  /**
   * Replaces defined parameters, rescanning replaced text (keepalived substitutes
   * recursively at use time). A multi-line definition makes several lines, each
   * processed on its own in order; then null is returned.
   */
  private String substitute(String t, String file, String dir, int lineNo, int depth) {
    StringBuilder sb = new StringBuilder(t);
    int count = 0;
    long work = 0;
    int i = 0;
    while (i < sb.length()) {
      if (sb.charAt(i) != '$' || i + 1 >= sb.length()) {
        i++;
        continue;
      }
      boolean braced = sb.charAt(i + 1) == '{';
      int start = braced ? i + 2 : i + 1;
      int j = start;
      while (j < sb.length() && namePart(sb.charAt(j))) {
        j++;
      }
      if (j == start || !nameStart(sb.charAt(start))) {
        i++;
        continue;
      }
      int end;
      if (braced) {
        if (j >= sb.length() || sb.charAt(j) != '}') {
          if (sb.substring(start, j).equals("_RANDOM") && sb.indexOf("}", j) > 0) {
            j = sb.indexOf("}", j);
          } else {
            i++;
            continue;
          }
        }
        end = j + 1;
      } else {
        if (j < sb.length() && !Character.isWhitespace(sb.charAt(j))) {
          i++;
          continue;
        }
        end = j;
      }
      String name = braced ? sb.substring(start, j).split(" ", 2)[0] : sb.substring(start, j);
      List<String> value = defs.get(name);
      String single = value == null ? builtin(name, sb.substring(start, j), dir) : null;
      if (value == null && single == null) {
        i = end;
        continue;
      }
      work += sb.length();
      if (++count > MAX_SUBSTITUTIONS || sb.length() > MAX_LINE_CHARS || work > MAX_WORK) {
        diags.add(file, lineNo, 0, Diagnostic.Severity.ERROR,
            "parameter substitution does not terminate (recursive definition?); line dropped");
        return null;
      }
      if (value != null && value.size() > 1) {
        String prefix = sb.substring(0, i);
        String suffix = sb.substring(end);
        for (int k = 0; k < value.size(); k++) {
          String l = (k == 0 ? prefix : "") + value.get(k) + (k == value.size() - 1 ? suffix : "");
          line(l, file, dir, lineNo, depth + 1);
        }
        return null;
      }
      sb.replace(i, end, single != null ? single : value.isEmpty() ? "" : value.get(0));
    }
    return sb.toString();
  }

  private String builtin(String name, String full, String dir) {
    switch (name) {
      case "_PWD":
        return dir;
      case "_INSTANCE":
        return configId;
      case "_HASH":
        return "#";
      case "_BANG":
        return "!";
      case "_RANDOM":
        String[] p = full.strip().split("\\s+");
        try {
          long min = p.length > 1 ? Long.parseLong(p[1]) : 0;
          long max = p.length > 2 ? Long.parseLong(p[2]) : 32767;
          return Long.toString(max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
        } catch (NumberFormatException e) {
          return null;
        }
      default:
        return null;
    }
  }
}

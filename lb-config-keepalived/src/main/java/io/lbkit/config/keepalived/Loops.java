package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ~SEQ(var, start, step, end)}, {@code ~SEQx(...)} (hex) and
 * {@code ~LST(var, v1, v2...)} / {@code ~LST({a, b}, {1, 2}, {3, 4})}: run the rest of the
 * line once per value. Iteration counts are bounded.
 */
final class Loops {
  static final long MAX_ITERATIONS = 10_000_000L;

  interface Body {
    void run(String var, String value, String rest);
  }

  private Loops() {}

  static void run(String t, String file, int line, Diags diags, Body body) {
    int open = t.indexOf('(');
    int close = matching(t, open);
    if (open < 0 || close < 0) {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "malformed " + t.substring(0, Math.min(5, t.length()))
          + ": expected '(...)'; line dropped");
      return;
    }
    String kind = t.substring(0, open).strip();
    String inner = t.substring(open + 1, close);
    String rest = t.substring(close + 1);
    if (kind.equals("~SEQ") || kind.equals("~SEQx")) {
      seq(kind.endsWith("x"), inner, rest, file, line, diags, body);
    } else if (kind.equals("~LST")) {
      lst(inner, rest, file, line, diags, body);
    } else {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "unknown block '" + kind + "': expected ~SEQ, ~SEQx or ~LST");
    }
  }

  private static int matching(String t, int open) {
    if (open < 0) {
      return -1;
    }
    int depth = 0;
    for (int i = open; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static void seq(boolean hex, String inner, String rest, String file, int line, Diags diags, Body body) {
    String[] p = inner.split(",");
    if (p.length < 2 || p.length > 4 || !Lexer.nameStart(p[0].strip().isEmpty() ? '0' : p[0].strip().charAt(0))) {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~SEQ needs (var, [start, [step,]] end): (" + inner + ")");
      return;
    }
    String var = p[0].strip();
    long start;
    long step;
    long end;
    try {
      end = num(p[p.length - 1]);
      start = p.length >= 3 ? num(p[1]) : (end >= 0 ? 1 : -1);
      step = p.length == 4 ? num(p[2]) : (end >= start ? 1 : -1);
    } catch (NumberFormatException e) {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~SEQ value is not an integer: (" + inner + ")");
      return;
    }
    if (step == 0 || (step > 0 && end < start) || (step < 0 && end > start)) {
      diags.add(file, line, 1, Diagnostic.Severity.WARNING, "~SEQ(" + inner + ") produces no values");
      return;
    }
    long count = (Math.abs(end - start) / Math.abs(step)) + 1;
    if (count <= 0 || count > MAX_ITERATIONS) {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~SEQ(" + inner + ") has more than " + MAX_ITERATIONS
          + " values; line dropped");
      return;
    }
    long v = start;
    for (long k = 0; k < count; k++, v += step) {
      body.run(var, hex ? Long.toHexString(v) : Long.toString(v), rest);
    }
  }

  private static long num(String s) {
    s = s.strip();
    boolean neg = s.startsWith("-");
    String d = neg ? s.substring(1) : s;
    long v = d.startsWith("0x") || d.startsWith("0X") ? Long.parseLong(d.substring(2), 16) : Long.parseLong(d);
    if (Math.abs(v) > 1L << 40) {
      throw new NumberFormatException(s);
    }
    return neg ? -v : v;
  }

  private static void lst(String inner, String rest, String file, int line, Diags diags, Body body) {
    List<List<String>> groups = new ArrayList<>();
    int i = 0;
    while (i < inner.length()) {
      char c = inner.charAt(i);
      if (c == ',' || Character.isWhitespace(c)) {
        i++;
      } else if (c == '{') {
        int e = inner.indexOf('}', i);
        if (e < 0) {
          diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~LST: unclosed '{' in (" + inner + ")");
          return;
        }
        groups.add(split(inner.substring(i + 1, e)));
        i = e + 1;
      } else {
        int e = inner.indexOf(',', i);
        e = e < 0 ? inner.length() : e;
        groups.add(List.of(inner.substring(i, e).strip()));
        i = e;
      }
    }
    if (groups.size() < 2) {
      diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~LST needs a variable and at least one value: (" + inner
          + ")");
      return;
    }
    List<String> vars = groups.get(0);
    for (String v : vars) {
      if (v.isEmpty() || !Lexer.nameStart(v.charAt(0))) {
        diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~LST variable name invalid: '" + v + "'");
        return;
      }
    }
    for (List<String> values : groups.subList(1, groups.size())) {
      if (values.size() != vars.size()) {
        diags.add(file, line, 1, Diagnostic.Severity.ERROR, "~LST value " + values + " does not match variables "
            + vars);
        return;
      }
    }
    for (List<String> values : groups.subList(1, groups.size())) {
      for (int k = 0; k < vars.size() - 1; k++) {
        body.run(vars.get(k), values.get(k), null);
      }
      body.run(vars.get(vars.size() - 1), values.get(vars.size() - 1), rest);
    }
  }

  private static List<String> split(String s) {
    List<String> l = new ArrayList<>();
    for (String p : s.split(",")) {
      l.add(p.strip());
    }
    return l;
  }
}

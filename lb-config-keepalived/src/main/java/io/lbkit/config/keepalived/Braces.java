package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.List;

/** csh-style brace expansion: {@code a{b,c{d,e}}f} gives abf, acdf, acef (bounded). */
final class Braces {
  static final int MAX_RESULTS = 4096;

  private Braces() {}

  static List<String> expand(String s) {
    List<String> out = new ArrayList<>();
    expand(s, out);
    return out;
  }

  private static void expand(String s, List<String> out) {
    if (out.size() > MAX_RESULTS) {
      throw new IllegalArgumentException("brace expansion gives more than " + MAX_RESULTS + " names");
    }
    int open = s.indexOf('{');
    if (open < 0) {
      out.add(s);
      return;
    }
    int depth = 0;
    int close = -1;
    List<Integer> commas = new ArrayList<>();
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth == 0) {
          close = i;
          break;
        }
      } else if (c == ',' && depth == 1) {
        commas.add(i);
      }
    }
    if (close < 0) {
      throw new IllegalArgumentException("unbalanced '{' in \"" + s + "\"");
    }
    String head = s.substring(0, open);
    String tail = s.substring(close + 1);
    int from = open + 1;
    commas.add(close);
    for (int c : commas) {
      expand(head + s.substring(from, c) + tail, out);
      from = c + 1;
    }
  }
}

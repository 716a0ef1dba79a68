package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one logical line into words the way keepalived does: whitespace separates,
 * {@code #} and {@code !} start a comment anywhere outside quotes, {@code "..."} and
 * {@code '...'} group (and may join with adjacent text: {@code ab"c d"} is one word),
 * escapes inside quotes ({@code \n \t \xHH \nnn \cC}, any other {@code \C} is C), and
 * unquoted braces are words of their own.
 */
final class Tokenizer {
  private Tokenizer() {}

  /** At most this many distinct words are shared per parse (keywords and common values come first). */
  static final int SHARED_WORDS = 4096;

  static List<Token> tokens(String s, String file, int line, Diags diags) {
    return tokens(s, file, line, diags, null);
  }

  /**
   * One String per distinct short word of a parse, looked up by the characters of the line
   * (no String is made for a word seen before): open addressing, at most {@link #SHARED_WORDS}.
   */
  static final class Words {
    private final String[] table = new String[SHARED_WORDS * 2];
    private int size;

    /** The shared String for {@code s[from, to)}, or a new one (kept if there is room). */
    String of(String s, int from, int to) {
      int len = to - from;
      if (len > 32) {
        return s.substring(from, to);
      }
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + s.charAt(i);
      }
      int mask = table.length - 1;
      int slot = (h ^ (h >>> 16)) & mask;
      for (int probes = 0; probes < table.length; probes++) {
        String w = table[slot];
        if (w == null) {
          String n = s.substring(from, to);
          if (size < SHARED_WORDS) {
            table[slot] = n;
            size++;
          }
          return n;
        }
        if (w.length() == len && s.regionMatches(from, w, 0, len)) {
          return w;
        }
        slot = (slot + 1) & mask;
      }
      return s.substring(from, to);
    }
  }

  /**
   * The tokens of one line. {@code words} (per parse, or null) shares one String per distinct
   * short word: a large config repeats its keywords and values on every line, and the parsed
   * tree then holds them once instead of once per line.
   */
  static List<Token> tokens(String s, String file, int line, Diags diags, Words words) {
    List<Token> out = new ArrayList<>(4);
    tokens(s, 0, s.length(), file, line, diags, words, out);
    return out;
  }

  /**
   * The tokens of the line {@code s[from, to)} (columns counted from {@code from}), added to
   * {@code out}: the same as {@link #tokens(String, String, int, Diags, Words)} of that
   * substring, without making it.
   */
  static void tokens(String s, int from, int to, String file, int line, Diags diags, Words words, List<Token> out) {
    StringBuilder word = null;
    int n = to;
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '#' || c == '!') {
        break;
      }
      int col = i - from + 1;
      if (c == '{' || c == '}') {
        out.add(new Token(c == '{' ? "{" : "}", file, line, col, false));
        i++;
        continue;
      }
      boolean quoted = false;
      int start = i;
      while (i < n) {
        c = s.charAt(i);
        if (isWhitespace(c) || c == '{' || c == '}' || c == '#' || c == '!') {
          break;
        }
        if (c == '"' || c == '\'') {
          if (!quoted) { // from here on the word is built: quotes drop out and escapes turn into characters
            word = word == null ? new StringBuilder() : word;
            word.setLength(0);
            word.append(s, start, i);
          }
          quoted = true;
          char q = c;
          int close = i - from + 1;
          i++;
          boolean closed = false;
          while (i < n) {
            c = s.charAt(i);
            if (c == q) {
              closed = true;
              i++;
              break;
            }
            if (c == '\\' && i + 1 < n) {
              i = escape(s, i + 1, n, word);
            } else {
              word.append(c);
              i++;
            }
          }
          if (!closed) {
            diags.add(file, line, close, Diagnostic.Severity.ERROR, "unterminated " + (q == '"' ? "double" : "single")
                + " quote: the string runs to the end of the line");
          }
          continue;
        }
        if (quoted) {
          word.append(c);
        }
        i++;
      }
      String text = quoted ? shared(word, words) : words != null ? words.of(s, start, i) : s.substring(start, i);
      out.add(new Token(text, file, line, col, quoted));
    }
  }

  /**
   * {@link Character#isWhitespace(char)}, answered from the character's code for ASCII (C1,
   * which compiles lbctl, does not reduce the JDK's lookup to this).
   */
  static boolean isWhitespace(char c) {
    if (c >= 0x80) {
      return Character.isWhitespace(c);
    }
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
  }

  private static String shared(StringBuilder word, Words words) {
    String w = word.toString();
    return words == null ? w : words.of(w, 0, w.length());
  }

  /** Appends the escape at {@code s[i]} (after the backslash; the line ends at {@code end}); returns the next index. */
  private static int escape(String s, int i, int end, StringBuilder out) {
    char c = s.charAt(i);
    switch (c) {
      case 'a': out.append('\007'); return i + 1;
      case 'b': out.append('\b'); return i + 1;
      case 'E': out.append('\033'); return i + 1;
      case 'f': out.append('\f'); return i + 1;
      case 'n': out.append('\n'); return i + 1;
      case 'r': out.append('\r'); return i + 1;
      case 't': out.append('\t'); return i + 1;
      case 'v': out.append('\013'); return i + 1;
      case 'c':
        if (i + 1 < end) {
          out.append((char) (Character.toUpperCase(s.charAt(i + 1)) ^ 0x40));
          return i + 2;
        }
        out.append('c');
        return i + 1;
      case 'x': {
        int j = i + 1;
        int v = 0;
        while (j < end && j < i + 3 && Character.digit(s.charAt(j), 16) >= 0) {
          v = v * 16 + Character.digit(s.charAt(j), 16);
          j++;
        }
        if (j == i + 1) {
          out.append('x');
          return j;
        }
        out.append((char) v);
        return j;
      }
      default:
        if (c >= '0' && c <= '7') {
          int j = i;
          int v = 0;
          while (j < end && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
            v = v * 8 + (s.charAt(j) - '0');
            j++;
          }
          out.append((char) (v & 0xff));
          return j;
        }
        out.append(c);
        return i + 1;
    }
  }
}

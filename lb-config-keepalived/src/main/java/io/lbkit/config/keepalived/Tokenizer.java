package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.Arrays;
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
    /** The characters of each word in {@link #table}, compared without String calls. */
    private final char[][] chars = new char[SHARED_WORDS * 2][];
    /** The hash of each word in {@link #table}: most words that are not there are told apart by it. */
    private final int[] hashes = new int[SHARED_WORDS * 2];
    private int size;

    /** The shared String for {@code s[from, to)}, or a new one (kept if there is room). */
    String of(char[] s, int from, int to) {
      int len = to - from;
      if (len > 32) {
        return new String(s, from, len);
      }
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + s[i];
      }
      int mask = table.length - 1;
      int slot = (h ^ (h >>> 16)) & mask;
      for (int probes = 0; probes < table.length; probes++) {
        char[] w = chars[slot];
        if (w == null) {
          String n = new String(s, from, len);
          if (size < SHARED_WORDS) {
            table[slot] = n;
            chars[slot] = Arrays.copyOfRange(s, from, to);
            hashes[slot] = h;
            size++;
          }
          return n;
        }
        if (hashes[slot] == h && w.length == len && same(w, s, from)) {
          return table[slot];
        }
        slot = (slot + 1) & mask;
      }
      return new String(s, from, len);
    }

    private static boolean same(char[] w, char[] s, int from) {
      for (int i = 0; i < w.length; i++) {
        if (w[i] != s[from + i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The tokens of one line. {@code words} (per parse, or null) shares one String per distinct
   * short word: a large config repeats its keywords and values on every line, and the parsed
   * tree then holds them once instead of once per line.
   */
  static List<Token> tokens(String s, String file, int line, Diags diags, Words words) {
    List<Token> out = new ArrayList<>(4);
    char[] c = s.toCharArray();
    tokens(c, c.length, file, line, diags, words, out);
    return out;
  }

  /**
   * The tokens of the line {@code s[0, n)}, added to {@code out}: the same as
   * {@link #tokens(String, String, int, Diags, Words)} of it (a char array: C1, which compiles
   * lbctl, reads it several times faster than a String's {@code charAt}).
   */
  static void tokens(char[] s, int n, String file, int line, Diags diags, Words words, List<Token> out) {
    StringBuilder word = null;
    int i = 0;
    while (i < n) {
      char c = s[i];
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '#' || c == '!') {
        break;
      }
      int col = i + 1;
      if (c == '{' || c == '}') {
        out.add(new Token(c == '{' ? "{" : "}", file, line, col, false));
        i++;
        continue;
      }
      boolean quoted = false;
      int start = i;
      while (i < n) {
        c = s[i];
        if (c < 0x80 ? ASCII[c] != 0 : Character.isWhitespace(c)) {
          if (c != '"' && c != '\'') { // whitespace, a brace or a comment ends the word
            break;
          }
          if (!quoted) { // from here on the word is built: quotes drop out and escapes turn into characters
            word = word == null ? new StringBuilder() : word;
            word.setLength(0);
            word.append(s, start, i - start);
          }
          quoted = true;
          char q = c;
          int close = i + 1;
          i++;
          boolean closed = false;
          while (i < n) {
            c = s[i];
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
      String text = quoted ? shared(word, words) : words != null ? words.of(s, start, i) : new String(s, start, i - start);
      out.add(new Token(text, file, line, col, quoted));
    }
  }

  /** Per ASCII character: 1 if it ends an unquoted word or starts a quote (whitespace, braces, # ! " '), else 0. */
  private static final byte[] ASCII = new byte[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      ASCII[c] = (byte) (isWhitespace(c) || "{}#!\"'".indexOf(c) >= 0 ? 1 : 0);
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
    if (words == null) {
      return w;
    }
    char[] c = w.toCharArray();
    return words.of(c, 0, c.length);
  }

  /** Appends the escape at {@code s[i]} (after the backslash; the line ends at {@code end}); returns the next index. */
  private static int escape(char[] s, int i, int end, StringBuilder out) {
    char c = s[i];
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
          out.append((char) (Character.toUpperCase(s[i + 1]) ^ 0x40));
          return i + 2;
        }
        out.append('c');
        return i + 1;
      case 'x': {
        int j = i + 1;
        int v = 0;
        while (j < end && j < i + 3 && Character.digit(s[j], 16) >= 0) {
          v = v * 16 + Character.digit(s[j], 16);
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
          while (j < end && j < i + 3 && s[j] >= '0' && s[j] <= '7') {
            v = v * 8 + (s[j] - '0');
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

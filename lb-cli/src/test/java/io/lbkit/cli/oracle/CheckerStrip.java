package io.lbkit.cli.oracle;

import java.util.Set;

/**
 * A keepalived.conf's text without its checker blocks ({@code HTTP_GET { ... }} and the
 * like), everything else kept byte for byte. keepalived puts a real server without a
 * checker into IPVS at once and keeps it there, so the table it programs depends on the
 * configuration alone, not on which real servers happen to answer.
 */
final class CheckerStrip {
  static final Set<String> CHECKERS = Set.of("HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "SMTP_CHECK",
      "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK");

  private CheckerStrip() {}

  /**
   * The text without checker blocks. A block is recognised by its keyword as the first
   * word of a line; it ends where its braces balance (comments after {@code !} or
   * {@code #} and quoted strings do not count). At most {@code text.length()} steps.
   */
  static String strip(String text) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int depth = 0; // > 0 while inside a checker block
    for (String line : text.split("\n", -1)) {
      String code = code(line);
      if (depth > 0) {
        depth += balance(code);
        continue;
      }
      String[] words = code.trim().split("\\s+");
      if (words.length > 0 && CHECKERS.contains(words[0]) && code.indexOf('{') >= 0) {
        depth = balance(code); // 0 for a block on one line: dropped as well
        continue;
      }
      out.add(line);
    }
    return String.join("\n", out);
  }

  /** The line up to a comment, with quoted strings blanked. */
  private static String code(String line) {
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
        b.append(' ');
      } else if (c == '"') {
        quoted = true;
        b.append(' ');
      } else if (c == '!' || c == '#') {
        break;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static int balance(String code) {
    int n = 0;
    for (int i = 0; i < code.length(); i++) {
      if (code.charAt(i) == '{') {
        n++;
      } else if (code.charAt(i) == '}') {
        n--;
      }
    }
    return n;
  }
}

package io.lbkit.cli;

/**
 * Text from files, arguments or the network made safe to echo on a terminal: control
 * characters (C0 except tab, DEL, C1) and bidirectional overrides are shown as escapes
 * ({@code \x1b}, {@code \u202e}), so a config line cannot move the cursor, recolour the
 * terminal or reorder what the operator reads.
 */
final class Text {
  private Text() {}

  /** One line: every control character escaped, newlines too. */
  static String safe(String s) {
    return escape(s, false);
  }

  /** Several lines: as {@link #safe}, but newlines kept. */
  static String safeLines(String s) {
    return escape(s, true);
  }

  private static String escape(String s, boolean keepNewlines) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad = (c < 0x20 && c != '\t' && !(keepNewlines && c == '\n')) || (c >= 0x7f && c <= 0x9f)
          || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      if (bad && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (!bad) {
          sb.append(c);
        } else if (c <= 0xff) {
          sb.append(String.format("\\x%02x", (int) c));
        } else {
          sb.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return sb == null ? s : sb.toString();
  }
}

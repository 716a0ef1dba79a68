package io.lbkit.config.keepalived;

/**
 * One word of a configuration line after comments, conditionals, substitution and
 * quoting were applied, with where it came from.
 *
 * @param text the word (quotes removed, escapes applied)
 * @param file file name as given
 * @param line 1-based line
 * @param column 1-based column
 * @param quoted true if any part was quoted (so {@code "{"} is not a brace)
 */
record Token(String text, String file, int line, int column, boolean quoted) {
  boolean is(String s) {
    return !quoted && text.equals(s);
  }

  boolean isOpen() {
    return is("{");
  }

  boolean isClose() {
    return is("}");
  }
}

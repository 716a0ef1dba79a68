package io.lbkit.config.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of the configuration tree: a keyword, its arguments and, for a block,
 * its children and the closing brace.
 */
final class Node {
  final Token keyword;
  final List<Token> args;
  final List<Node> children;
  Token close;

  Node(Token keyword, List<Token> args, boolean block) {
    this.keyword = keyword;
    this.args = args;
    this.children = block ? new ArrayList<>() : null;
  }

  String name() {
    return keyword.text();
  }

  boolean isBlock() {
    return children != null;
  }

  int argc() {
    return args.size();
  }

  String arg(int i) {
    return args.get(i).text();
  }

  /** The argument's token, or the keyword's when there is none. */
  Token at(int i) {
    return i < args.size() ? args.get(i) : keyword;
  }

  /** All words after the keyword joined by one space. */
  String rest() {
    StringBuilder sb = new StringBuilder();
    for (Token t : args) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(t.text());
    }
    return sb.toString();
  }

  /** Where a block ends (its closing brace), for findings keepalived reports there. */
  Token end() {
    return close != null ? close : keyword;
  }
}

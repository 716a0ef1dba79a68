package io.lbkit.config.keepalived;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the statement tree from token lines. A statement is the words of one line up
 * to a brace; {@code {} makes the statement before it a block (on the same line, or
 * the previous line's statement), {@code }} closes the innermost block. Unbalanced
 * braces are reported where the unclosed block opened, or at the stray brace.
 */
final class TreeBuilder implements Lexer.LineSink {
  private final Diags diags;
  private final Node root = new Node(new Token("<top>", "", 0, 0, false), List.of(), true);
  private final Deque<Node> open = new ArrayDeque<>();

  TreeBuilder(Diags diags) {
    this.diags = diags;
    open.push(root);
  }

  @Override
  public void line(List<Token> tokens) {
    List<Token> cur = new ArrayList<>(tokens.size());
    for (Token t : tokens) {
      if (t.isOpen()) {
        Node top = open.peek();
        Node block;
        if (!cur.isEmpty()) {
          block = new Node(cur.get(0), List.copyOf(cur.subList(1, cur.size())), true);
          top.children.add(block);
          cur.clear();
        } else if (!top.children.isEmpty() && !top.children.get(top.children.size() - 1).isBlock()
            && top.children.get(top.children.size() - 1).keyword.line() < t.line()) {
          Node prev = top.children.remove(top.children.size() - 1);
          block = new Node(prev.keyword, prev.args, true);
          top.children.add(block);
        } else {
          diags.error(t, "'{' without a keyword before it");
          block = new Node(t, List.of(), true);
          top.children.add(block);
        }
        open.push(block);
      } else if (t.isClose()) {
        flush(cur);
        if (open.size() == 1) {
          diags.error(t, "unexpected '}': no block is open here (an extra '}' or a missing '{' above)");
        } else {
          open.pop().close = t;
        }
      } else {
        cur.add(t);
      }
    }
    flush(cur);
  }

  private void flush(List<Token> cur) {
    if (!cur.isEmpty()) {
      open.peek().children.add(new Node(cur.get(0), List.copyOf(cur.subList(1, cur.size())), false));
      cur.clear();
    }
  }

  /** The root; reports every block still open. */
  Node finish() {
    while (open.size() > 1) {
      Node n = open.pop();
      diags.error(n.keyword, "'" + n.name() + (n.argc() > 0 ? " " + n.rest() : "")
          + "' block opened here is never closed: missing '}' (keepalived: \"There are missing '}'s\")");
    }
    return root;
  }
}

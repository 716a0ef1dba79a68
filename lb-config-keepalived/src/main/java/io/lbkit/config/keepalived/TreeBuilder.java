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
 *
 * <p>With a {@code done} consumer, each top-level statement is handed over once it is complete
 * (when a later line starts) and dropped from the tree, so a large file's whole tree is never
 * alive at once; {@link #finish()} then holds only the statements not handed over yet.
 */
final class TreeBuilder implements Lexer.LineSink {
  private final Diags diags;
  private final Node root = new Node(new Token("<top>", "", 0, 0, false), List.of(), true);
  private final Deque<Node> open = new ArrayDeque<>();
  private final java.util.function.Consumer<Node> done;
  /** The statement being read on the current line (reused from line to line). */
  private final List<Token> cur = new ArrayList<>();
  /** Brace errors reported so far (a stray or missing brace). */
  int braceErrors;

  TreeBuilder(Diags diags) {
    this(diags, null);
  }

  /** {@code done} receives each complete top-level statement in order (null: keep the whole tree). */
  TreeBuilder(Diags diags, java.util.function.Consumer<Node> done) {
    this.diags = diags;
    this.done = done;
    open.push(root);
  }

  @Override
  public void line(List<Token> tokens) {
    handOver();
    List<Token> cur = this.cur;
    cur.clear();
    for (int i = 0, n = tokens.size(); i < n; i++) {
      Token t = tokens.get(i);
      if (t.isOpen()) {
        Node top = open.peek();
        Node block;
        if (!cur.isEmpty()) {
          block = new Node(cur.get(0), args(cur), true);
          top.children.add(block);
          cur.clear();
        } else if (!top.children.isEmpty() && !top.children.get(top.children.size() - 1).isBlock()
            && top.children.get(top.children.size() - 1).keyword.line() < t.line()) {
          Node prev = top.children.remove(top.children.size() - 1);
          block = new Node(prev.keyword, prev.args, true);
          top.children.add(block);
        } else {
          braceErrors++;
          diags.error(t, "'{' without a keyword before it");
          block = new Node(t, List.of(), true);
          top.children.add(block);
        }
        open.push(block);
      } else if (t.isClose()) {
        flush(cur);
        if (open.size() == 1) {
          braceErrors++;
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
      open.peek().children.add(new Node(cur.get(0), args(cur), false));
      cur.clear();
    }
  }

  /** The words after the keyword, as {@code List.copyOf(cur.subList(1, cur.size()))} (the same kind of list). */
  private static List<Token> args(List<Token> cur) {
    switch (cur.size()) {
      case 1:
        return List.of();
      case 2:
        return List.of(cur.get(1));
      case 3:
        return List.of(cur.get(1), cur.get(2));
      default:
        return List.copyOf(cur.subList(1, cur.size()));
    }
  }

  /**
   * Hands over every top-level statement but the last: the last may still be open, or be a
   * statement that a {@code {} on this line turns into a block.
   */
  private void handOver() {
    List<Node> top = root.children;
    if (done == null || top.size() < 2) {
      return;
    }
    Node last = top.get(top.size() - 1);
    if (top.size() == 2) { // the usual case: one statement is complete
      Node ready = top.get(0);
      top.clear();
      top.add(last);
      done.accept(ready);
      return;
    }
    List<Node> ready = new ArrayList<>(top.subList(0, top.size() - 1));
    top.clear();
    top.add(last);
    for (Node n : ready) {
      done.accept(n);
    }
  }

  /** The root (with the statements not handed over); reports every block still open. */
  Node finish() {
    while (open.size() > 1) {
      braceErrors++;
      Node n = open.pop();
      diags.error(n.keyword, "'" + n.name() + (n.argc() > 0 ? " " + n.rest() : "")
          + "' block opened here is never closed: missing '}' (keepalived: \"There are missing '}'s\")");
    }
    return root;
  }
}

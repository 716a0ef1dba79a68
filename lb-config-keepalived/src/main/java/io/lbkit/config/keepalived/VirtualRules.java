package io.lbkit.config.keepalived;

import io.lbkit.api.net.IfAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A vrrp_instance's {@code virtual_rules} block (and the top-level {@code static_rules}, checked
 * alike): each line one ip rule, in keepalived's
 * words ({@code [not] [from PREFIX|all] [to PREFIX|all] [priority|preference N] [fwmark M[/MASK]]
 * [iif|oif IFACE] [tos|dsfield N] [realms R] [uidrange A-B] [protocol P] [ipproto P] [sport|dport A-B]
 * [suppress_prefixlength N] [suppress_ifgroup G] [no_track]} and one action: {@code table|lookup T},
 * {@code goto N}, {@code nop}, {@code blackhole}, {@code prohibit}, {@code unreachable},
 * {@code l3mdev} or {@code type T}). lbkit keeps each accepted line's words, joined by
 * one space, for export; it adds no rules.
 */
final class VirtualRules {
  /** Options that take one value (keepalived 2.2.7's names, probed with {@code keepalived -t}). */
  private static final Set<String> VALUED = Set.of("from", "to", "table", "lookup", "priority", "preference",
      "fwmark", "iif", "oif", "tos", "dsfield", "realms", "suppress_prefixlength", "suppress_ifgroup", "uidrange",
      "protocol", "ipproto", "sport", "dport", "goto", "type");
  private static final Set<String> FLAGS = Set.of("not", "no_track", "l3mdev", "nop", "blackhole", "prohibit",
      "unreachable");
  private static final Set<String> ACTIONS = Set.of("table", "lookup", "goto", "type", "l3mdev", "nop", "blackhole",
      "prohibit", "unreachable");

  private VirtualRules() {}

  static List<String> parse(Node n, Values v) {
    List<String> out = new ArrayList<>();
    if (!v.block(n)) {
      return out;
    }
    for (Node c : n.children) {
      String r = line(n.name(), c, v);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * One rule line's words joined by a space, or null (with a diagnostic) when keepalived would not
   * add it; {@code block} (virtual_rules or static_rules) names it in the messages.
   */
  private static String line(String block, Node c, Values v) {
    Diags d = v.diags();
    if (c.isBlock()) {
      d.error(c.keyword, block + ": a rule is one line, not a '{ ... }' block");
      return null;
    }
    List<Token> w = new ArrayList<>();
    w.add(c.keyword);
    w.addAll(c.args);
    String action = null;
    boolean preference = false;
    for (int i = 0; i < w.size(); i++) {
      String k = w.get(i).text();
      if (!VALUED.contains(k) && !FLAGS.contains(k)) {
        d.error(w.get(i), block + ": unknown rule option '" + k + "'"
            + hint(Keywords.suggest(k, union())));
        return null;
      }
      if (ACTIONS.contains(k)) {
        if (action != null) {
          d.error(w.get(i), block + ": a rule takes one action; '" + action + "' and '" + k + "' given");
          return null;
        }
        action = k;
      }
      if (VALUED.contains(k)) {
        if (i + 1 >= w.size()) {
          d.error(w.get(i), block + ": '" + k + "' needs a value");
          return null;
        }
        String val = w.get(++i).text();
        if (!valid(block, k, val, w.get(i), v)) {
          return null;
        }
        preference |= k.equals("priority") || k.equals("preference");
      }
    }
    if (action == null) {
      d.warn(c.keyword, block + ": no action (table, goto, nop, blackhole, prohibit, unreachable, l3mdev) in "
          + "this rule; keepalived ignores it");
      return null;
    }
    if (!preference) {
      d.warn(c.keyword, block + ": rule without priority/preference; keepalived picks one (16384 counting "
          + "down), which is probably not what you want");
    }
    StringBuilder sb = new StringBuilder();
    for (Token t : w) {
      sb.append(sb.length() == 0 ? "" : " ").append(t.text());
    }
    return sb.toString();
  }

  private static boolean valid(String block, String k, String val, Token at, Values v) {
    Diags d = v.diags();
    switch (k) {
      case "from", "to" -> {
        if (!val.equals("all") && !isPrefix(val)) {
          d.error(at, block + ": " + k + " '" + val + "' is not an address, prefix or 'all'");
          return false;
        }
      }
      case "priority", "preference" -> {
        Node value = new Node(new Token(k, at.file(), at.line(), at.column(), false), List.of(at), false);
        return v.integer(value, 0, 0, 4294967295L) != null;
      }
      case "sport", "dport" -> {
        if (!val.matches("[0-9]{1,5}-[0-9]{1,5}")) {
          d.error(at, block + ": " + k + " '" + val + "' is not a port range A-B");
          return false;
        }
      }
      default -> { }
    }
    return true;
  }

  private static boolean isPrefix(String s) {
    try {
      IfAddress.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Set<String> union() {
    Set<String> s = new java.util.HashSet<>(VALUED);
    s.addAll(FLAGS);
    return s;
  }

  private static String hint(String s) {
    return s == null ? "" : "; did you mean '" + s + "'?";
  }
}

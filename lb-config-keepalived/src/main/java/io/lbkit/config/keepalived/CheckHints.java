package io.lbkit.config.keepalived;

import java.util.List;

/** Where a misplaced checker or real_server keyword belongs, for the "unknown keyword" errors. */
final class CheckHints {
  private CheckHints() {}

  /** An unknown keyword directly in a real_server: a checker's keyword says which checker takes it. */
  static void realServerUnknown(Diags d, Node n) {
    String k = n.name();
    java.util.Set<String> known = new java.util.HashSet<>(Keywords.REAL_SERVER);
    known.addAll(Keywords.CHECKER.keySet());
    known.add("BFD_CHECK");
    List<String> owners = Keywords.checkersTaking(k);
    if (d.full() || Keywords.DEPRECATED.containsKey(k) || (owners.isEmpty() && !Keywords.URL.contains(k))) {
      Mapper.unknown(d, n, "real_server", known);
    } else if (!owners.isEmpty()) {
      d.error(n.keyword, "unknown keyword '" + k + "' in real_server; it goes inside a checker block ("
          + String.join(", ", owners) + ")");
    } else {
      d.error(n.keyword, "unknown keyword '" + k + "' in real_server; it goes inside HTTP_GET/SSL_GET { url { } }");
    }
  }

  /**
   * A keyword this checker does not take (keepalived -t: "Unknown keyword"): the closest
   * one it does take, or else the checkers it belongs to.
   */
  static void misplaced(Diags d, Node n, String type, java.util.Set<String> allowed) {
    String k = n.name();
    String hint = Keywords.suggest(k, allowed);
    List<String> owners = Keywords.checkersTaking(k);
    String where = "";
    if (hint != null) {
      where = "; did you mean '" + hint + "'?";
    } else if (Keywords.URL.contains(k) && allowed.contains("url")) {
      where = "; it goes inside url { }";
    } else if (Keywords.REAL_SERVER.contains(k)) {
      where = "; it goes in the real_server block, outside " + type;
    } else if (!owners.isEmpty()) {
      where = "; " + type + " has no " + k + " (only " + String.join(", ", owners) + " take it)";
    }
    d.error(n.keyword, "unknown keyword '" + k + "' in " + type + where);
  }
}

package io.lbkit.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gobgpd's global RIB behind the {@code gobgp} client, for {@link GobgpAnnouncer}'s unit tests: answers
 * {@code global rib -a F -j} in gobgp 3.10's JSON form, applies {@code global rib add|del -a F P}, records every
 * command, and refuses the commands given in {@link #refuse}.
 */
final class FakeGobgp implements CommandRunner {
  static final List<String> CLIENT = List.of("gobgp", "-p", "50051");
  /** prefix -> neighbor it was learned from, or "" for a local path. */
  final Map<String, String> rib = new TreeMap<>();
  final List<String> commands = new CopyOnWriteArrayList<>();
  final List<String> refuse = new ArrayList<>();

  @Override
  public String run(List<String> command) throws IOException {
    if (!command.subList(0, CLIENT.size()).equals(CLIENT)) {
      throw new AssertionError("not the configured client: " + command);
    }
    List<String> a = command.subList(CLIENT.size(), command.size());
    String line = String.join(" ", a);
    commands.add(line);
    if (refuse.contains(line)) {
      throw new IOException(String.join(" ", command) + " exited 1: error: refused");
    }
    if (a.size() == 5 && a.subList(0, 3).equals(List.of("global", "rib", "-a")) && a.get(4).equals("-j")) {
      return json(a.get(3).equals("ipv6"));
    }
    if (a.size() == 6 && a.subList(0, 2).equals(List.of("global", "rib")) && a.get(3).equals("-a")) {
      if (a.get(2).equals("add")) {
        rib.put(a.get(5), "");
        return "";
      } else if (a.get(2).equals("del")) {
        rib.remove(a.get(5));
        return "";
      }
    }
    throw new AssertionError("unexpected gobgp command: " + line);
  }

  private String json(boolean v6) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : rib.entrySet()) {
      if (e.getKey().contains(":") != v6) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(',');
      }
      String p = e.getKey();
      sb.append('"').append(p).append("\":[{\"nlri\":{\"prefix\":\"").append(p).append("\"},\"age\":1796620564,")
          .append("\"best\":true,\"attrs\":[{\"type\":1,\"value\":2},{\"type\":3,\"nexthop\":\"")
          .append(e.getValue().isEmpty() ? "0.0.0.0" : e.getValue()).append("\"}],\"stale\":false");
      if (!e.getValue().isEmpty()) {
        sb.append(",\"source-id\":\"").append(e.getValue()).append("\",\"neighbor-ip\":\"").append(e.getValue())
            .append('"');
      }
      sb.append("}]");
    }
    return sb.append("}\n").toString();
  }
}

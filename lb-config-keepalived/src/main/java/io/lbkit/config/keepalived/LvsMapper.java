package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.Protocol;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import java.util.ArrayList;
import java.util.List;

/** virtual_server_group and virtual_server (ip port, fwmark, group): keys, then one body per key. */
final class LvsMapper {
  private final Values v;
  private final Diags d;
  private final Model m;
  private final List<Node> groupsRead = new ArrayList<>();
  private final java.util.Map<String, List<GroupMembers.Member>> members = new java.util.LinkedHashMap<>();

  LvsMapper(Values v, Model m) {
    this.v = v;
    this.d = v.diags();
    this.m = m;
  }

  void group(Node b) {
    if (!v.need(b, 1) || !v.block(b)) {
      return;
    }
    String name = b.arg(0);
    if (m.groupNodes.containsKey(name)) {
      d.error(b.at(0), "virtual_server_group " + name + " is defined twice (first at line "
          + m.groupNodes.get(name).keyword.line() + ")");
      return;
    }
    m.groupNodes.put(name, b);
    groupsRead.add(b);
    List<GroupMembers.Member> l = new ArrayList<>();
    for (Node n : b.children) {
      l.addAll(GroupMembers.parse(n, v));
    }
    if (l.isEmpty()) {
      d.warn(b.keyword, "virtual_server_group " + name + " has no members");
    }
    members.put(name, l);
  }

  /** True once a virtual_server_group of that name was read (and kept). */
  boolean hasGroup(String name) {
    return members.containsKey(name);
  }

  void server(Node b) {
    if (!v.need(b, 1) || !v.block(b)) {
      return;
    }
    Protocol protocol = Protocol.TCP;
    Family markFamily = Family.INET;
    boolean reals = false;
    for (Node n : b.children) {
      reals |= n.name().equals("real_server");
      if (n.name().equals("protocol") && n.argc() > 0 && b.arg(0).equals("fwmark")) {
        d.warn(n.keyword, "protocol is ignored for a fwmark virtual_server (keepalived: \"protocol specified for "
            + "fwmark - protocol will be ignored\")");
      }
      if (n.name().equals("protocol") && n.argc() > 0) {
        try {
          protocol = Protocol.valueOf(n.arg(0));
        } catch (IllegalArgumentException e) {
          d.error(n.at(0), "protocol '" + n.arg(0) + "' is not TCP, UDP or SCTP");
        }
      } else if (n.name().equals("ip_family") && n.argc() > 0) {
        markFamily = n.arg(0).equals("inet6") ? Family.INET6 : Family.INET;
      }
    }
    if (!reals) {
      d.warn(b.keyword, "virtual_server " + String.join(" ", b.args.stream().map(Token::text).toList())
          + " has no real_server: keepalived ignores it (\"has no real servers - ignoring\"), lbkit still creates it, with no real server");
    }
    List<ServiceKey> keys = new ArrayList<>();
    String first = b.arg(0);
    if (first.equals("group")) {
      if (!v.need(b, 2)) {
        return;
      }
      String name = b.arg(1);
      List<GroupMembers.Member> l = members.get(name);
      if (l == null) {
        String hint = Keywords.suggest(name, members.keySet());
        d.error(b.at(1), "virtual_server group '" + name + "': no virtual_server_group " + name + " is defined"
            + (hint != null ? "; did you mean '" + hint + "'?" : members.isEmpty() ? " (there is none)" : ""));
        // the body is still checked (port 0: no key-specific findings such as port resets)
        new ServiceBody(v, m).build(ServiceKey.of(protocol, io.lbkit.api.net.Inet.parse("0.0.0.0"), 0), b, true);
        return;
      }
      for (GroupMembers.Member mem : l) {
        keys.add(mem.address() == null ? ServiceKey.fwmark(mem.fwmark(), markFamily == Family.INET6 ? Family.INET6 : mem.family())
            : ServiceKey.of(protocol, mem.address(), mem.port()));
      }
      m.groups.putIfAbsent(name, keys);
    } else if (first.equals("fwmark")) {
      Long mark = v.integer(b, 1, 1, 0xffffffffL);
      if (mark == null) {
        return;
      }
      keys.add(ServiceKey.fwmark((int) (long) mark, markFamily));
    } else {
      var addr = v.address(b, 0);
      Integer port = b.argc() > 1 ? v.port(b, 1) : Integer.valueOf(0);
      if (addr == null || port == null) {
        return;
      }
      keys.add(ServiceKey.of(protocol, addr, port));
    }
    boolean report = true;
    for (ServiceKey k : keys) {
      d.checkTime(b.keyword);
      VirtualService vs = new ServiceBody(v, m).build(k, b, report);
      report = false;
      if (vs == null) {
        continue;
      }
      Token prev = m.serviceNodes.get(k);
      if (prev != null) {
        d.error(b.keyword, "virtual_server " + k + " is defined twice (first at line " + prev.line()
            + "); keepalived keeps the first");
        continue;
      }
      m.serviceNodes.put(k, b.keyword);
      m.services.add(vs);
    }
  }

  /** Groups read but used by no virtual_server keep their keys (TCP) for export. */
  void finish() {
    for (Node g : groupsRead) {
      String name = g.arg(0);
      if (!m.groups.containsKey(name)) {
        List<ServiceKey> keys = new ArrayList<>();
        for (GroupMembers.Member mem : members.get(name)) {
          keys.add(mem.address() == null ? ServiceKey.fwmark(mem.fwmark(), mem.family())
              : ServiceKey.of(Protocol.TCP, mem.address(), mem.port()));
        }
        m.groups.put(name, keys);
        d.warn(g.keyword, "virtual_server_group " + name + " is not used by any virtual_server");
      }
    }
  }
}

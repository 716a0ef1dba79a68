package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.vrrp.TrackedFile;
import io.lbkit.api.vrrp.TrackedScript;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** vrrp_script, track_file, vrrp_sync_group and vrrp_instance. */
final class VrrpMapper {
  private final Values v;
  private final Diags d;
  private final Model m;

  VrrpMapper(Values v, Model m) {
    this.v = v;
    this.d = v.diags();
    this.m = m;
  }

  void script(Node b) {
    if (!v.need(b, 1)) {
      return;
    }
    String name = b.arg(0);
    m.scriptNodes.add(b);
    List<String> command = null;
    Duration interval = Duration.ofSeconds(1);
    Duration timeout = null;
    int weight = 0;
    int rise = 1;
    int fall = 1;
    String user = null;
    for (Node n : b.children) {
      switch (n.name()) {
        case "script" -> {
          if (v.need(n, 1)) {
            command = n.argc() == 1 ? Mapper.words(n.arg(0)) : Mapper.argList(n);
          }
        }
        case "interval" -> interval = orElse(v.seconds(n, 0, 0.000001, 2147), interval);
        case "timeout" -> timeout = orElse(v.seconds(n, 0, 0.000001, 2147), timeout);
        case "weight" -> weight = orElse(v.int32(n, 0, -253, 253), weight);
        case "rise" -> rise = orElse(v.int32(n, 0, 1, Integer.MAX_VALUE), rise);
        case "fall" -> fall = orElse(v.int32(n, 0, 1, Integer.MAX_VALUE), fall);
        case "user" -> user = n.argc() > 0 ? n.arg(0) + (n.argc() > 1 ? " " + n.arg(1) : "") : null;
        case "init_fail" -> { }
        default -> Mapper.unknown(d, n, "vrrp_script", Keywords.VRRP_SCRIPT);
      }
    }
    if (command == null) {
      d.error(b.end(), "vrrp_script " + name + " has no 'script'; keepalived drops it");
      m.droppedScripts.put(name, b);
      return;
    }
    try {
      m.scripts.put(name, new TrackedScript(name, command, interval, timeout == null ? interval : timeout, weight,
          rise, fall, user));
    } catch (IllegalArgumentException e) {
      d.error(b.keyword, e.getMessage());
    }
  }

  void trackFile(Node b) {
    if (!v.need(b, 1)) {
      return;
    }
    String name = b.arg(0);
    m.trackFiles.put(name, b);
    String file = null;
    int weight = 1;
    boolean reverse = false;
    Long init = null;
    boolean overwrite = false;
    for (Node n : b.children) {
      switch (n.name()) {
        case "file" -> file = v.need(n, 1) ? n.arg(0) : file;
        case "weight" -> {
          weight = orElse(v.int32(n, 0, -254, 254), weight);
          reverse = n.argc() > 1 && n.arg(1).equals("reverse");
          if (n.argc() > 1 && !reverse && !n.arg(1).equals("noreverse")) {
            d.warn(n.at(1), "weight: '" + n.arg(1) + "' ignored (expected 'reverse')");
          }
        }
        case "init_file" -> {
          int i = 0;
          init = 0L;
          if (n.argc() > 0 && !n.arg(0).equals("overwrite")) {
            init = orElse(v.integer(n, 0, Integer.MIN_VALUE, Integer.MAX_VALUE), 0L);
            i = 1;
          }
          overwrite = n.argc() > i && n.arg(i).equals("overwrite");
          if (n.argc() > i && !overwrite) {
            d.warn(n.at(i), "init_file: '" + n.arg(i) + "' ignored (expected 'overwrite')");
          }
        }
        default -> Mapper.unknown(d, n, "track_file", Keywords.TRACK_FILE);
      }
    }
    if (file == null) {
      d.error(b.end(), "track_file " + name + " has no 'file'; keepalived drops it");
      return;
    }
    try {
      m.files.put(name, new TrackedFile(name, java.nio.file.Path.of(file), weight, reverse, init, overwrite));
    } catch (IllegalArgumentException e) {
      d.error(b.keyword, "track_file " + name + ": " + e.getMessage());
    }
  }

  /**
   * A vrrp_track_process or bfd_instance block: lbkit runs neither, but keeps the lines so
   * that the instances tracking it export it back.
   */
  void definition(Node b, Map<String, List<String>> defs, java.util.Set<String> known) {
    if (!v.need(b, 1)) {
      return;
    }
    for (Node n : b.children) {
      if (!known.contains(n.name())) {
        Mapper.unknown(d, n, b.name(), known);
      }
    }
    if (defs.containsKey(b.arg(0))) {
      d.warn(b.at(0), b.name() + " " + b.arg(0) + " is defined twice; the first one counts");
      return;
    }
    defs.put(b.arg(0), InstanceExtras.lines(b, known, d));
  }

  void syncGroup(Node b) {
    new SyncGroups(v, m).group(b);
  }

  void instance(Node b) {
    if (!v.need(b, 1)) {
      return;
    }
    String name = b.arg(0);
    if (m.instanceNodes.containsKey(name)) {
      d.error(b.at(0), "vrrp_instance " + name + " is defined twice (first at line "
          + m.instanceNodes.get(name).keyword.line() + ")");
      return;
    }
    m.instanceNodes.put(name, b);
    String ifname = null;
    Integer vrid = null;
    InstanceFields f = new InstanceFields();
    f.version = m.vrrpVersion;
    for (Node n : b.children) {
      switch (n.name()) {
        case "interface" -> {
          ifname = v.need(n, 1) ? n.arg(0) : null;
          if ("lo".equals(ifname)) {
            d.error(n.at(0), "(" + name + ") cannot use the loopback interface lo for VRRP");
          }
        }
        case "virtual_router_id" -> vrid = v.int32(n, 0, 1, 255);
        default -> f.field(n, v, m, name);
      }
    }
    if (ifname == null) {
      d.error(b.keyword, "vrrp_instance " + name + " has no 'interface'");
      ifname = "?";
    }
    if (vrid == null) {
      d.error(b.keyword, "vrrp_instance " + name + " has no valid 'virtual_router_id' (1-255)");
      return;
    }
    if (f.version == 2 && familyOf(f.vips, f.native6) == io.lbkit.api.Family.INET6) {
      // keepalived 2.2.7 runs an IPv6 instance as VRRPv3 whatever vrrp_version says (VRRPv2 is IPv4 only, RFC 3768)
      d.warn(b.keyword, "vrrp_instance " + name + " is IPv6: it runs as VRRPv3 (VRRPv2 is IPv4 only), as keepalived "
          + "runs it; set 'version 3' (or global_defs vrrp_version 3) to say so");
      f.version = 3;
      if ("PASS".equals(f.authType)) {
        d.warn(f.authToken != null ? f.authToken : b.keyword, "(" + name + ") VRRP version 3 does not support "
            + "authentication: auth_pass ignored, as keepalived ignores it");
      }
    }
    VrrpInstanceSpec.Builder bl = VrrpInstanceSpec.builder(name, ifname, vrid);
    try {
      m.instances.add(f.build(bl));
    } catch (IllegalArgumentException e) {
      d.error(b.keyword, e.getMessage());
    }
  }

  static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Address list blocks (virtual_ipaddress and friends). */
  static List<VirtualAddress> addresses(Node n, Values v, Map<String, String> options) {
    List<VirtualAddress> l = new ArrayList<>();
    if (!v.block(n)) {
      return l;
    }
    for (Node c : n.children) {
      VipLine line = VipLine.parse(c, v.diags(), true);
      if (line != null) {
        l.add(new VirtualAddress(line.address(), line.dev()));
        if (!line.options().isEmpty()) {
          options.put(Exporter.address(line.address(), line.dev()), String.join(" ", line.options()));
        }
      }
    }
    return l;
  }

  /**
   * {@code NAME [weight N [reverse|noreverse]]} lines of track_* blocks. {@code reverse} is the
   * caller's to carry when {@code reverseCarried} (track_file negates the weight); otherwise it
   * is warned as not carried. A track_interface / track_script weight of +/-254 is set to +/-253, as
   * keepalived 2.2.7 does.
   */
  static Map<String, Integer> weights(Node n, Values v, int min, int max, boolean reverseCarried) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (!v.block(n)) {
      return out;
    }
    for (Node c : n.children) {
      Integer w = 0;
      if (c.argc() >= 2 && c.arg(0).equals("weight")) {
        Node fake = new Node(c.args.get(0), c.args.subList(1, c.argc()), false);
        w = v.int32(fake, 0, min, max);
        if (w != null && Math.abs(w) == 254 && !n.name().equals("track_file")) {
          v.diags().warn(c.at(1), n.name() + " " + c.name() + ": weight cannot be +/-254; keepalived sets it to "
              + "+/-253");
          w = w > 0 ? 253 : -253;
        }
        if (c.argc() > 2 && c.arg(2).equals("reverse") && !reverseCarried) {
          v.diags().warn(c.at(2), n.name() + " " + c.name() + ": 'reverse' is not carried; lbkit applies weight "
              + w + " unreversed");
        } else if (c.argc() > 2 && !c.arg(2).equals("reverse") && !c.arg(2).equals("noreverse")) {
          v.diags().warn(c.at(2), n.name() + " " + c.name() + ": '" + c.arg(2) + "' ignored (expected reverse or "
              + "noreverse)");
        }
      } else if (c.argc() > 0) {
        v.diags().warn(c.at(0), "'" + c.rest() + "' after " + c.name() + " ignored (expected 'weight N')");
      }
      out.put(c.name(), w == null ? 0 : w);
    }
    return out;
  }

  /**
   * A track_file block inside a vrrp_instance or vrrp_sync_group: name to its {@code weight N}
   * ({@code reverse} carried as {@code -N}; {@code weight 0} kept: a non-zero value is FAULT),
   * empty when the line gives no weight (the track_file block's own weight and reverse apply).
   * Each reference is recorded in {@code refs} for the undefined-name check.
   */
  static Map<String, java.util.OptionalInt> trackFiles(Node n, Values v, List<Token> refs) {
    Map<String, Integer> w = weights(n, v, -254, 254, true);
    Map<String, java.util.OptionalInt> out = new LinkedHashMap<>();
    if (!n.isBlock()) {
      return out;
    }
    for (Node c : n.children) {
      refs.add(c.keyword);
      if (c.argc() < 2 || !c.arg(0).equals("weight")) {
        out.put(c.name(), java.util.OptionalInt.empty());
        continue;
      }
      int weight = w.getOrDefault(c.name(), 0);
      // value * weight * -1 is value * -weight: "weight N reverse" is carried as weight -N
      if (c.argc() >= 3 && c.arg(2).equals("reverse")) {
        if (weight == 0) {
          v.diags().warn(c.at(2), n.name() + " " + c.name() + ": 'reverse' with weight 0 is not carried; lbkit "
              + "goes to FAULT when the file holds a non-zero value (keepalived with reverse: when it holds 0)");
        }
        weight = -weight;
      }
      out.put(c.name(), java.util.OptionalInt.of(weight));
    }
    return out;
  }

  static List<InetAddress> peers(Node n, Values v) {
    List<InetAddress> l = new ArrayList<>();
    if (v.block(n)) {
      for (Node c : n.children) {
        Node fake = new Node(n.keyword, List.of(c.keyword), false);
        InetAddress a = v.address(fake, 0);
        if (a != null) {
          l.add(a);
        }
      }
    }
    return l;
  }

  static Family familyOf(List<VirtualAddress> vips, boolean native6) {
    if (native6) {
      return Family.INET6;
    }
    return vips.isEmpty() ? Family.INET : Family.of(vips.get(0).address().address());
  }

  static VrrpState state(String s) {
    return "MASTER".equalsIgnoreCase(s) ? VrrpState.MASTER : VrrpState.BACKUP;
  }
}

package io.lbkit.bench.nft;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServer;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's load balancer: {@code services} TCP services (VIP 10.1.x.y:80; wrr, every
 * tenth rr, see {@link #scheduler}) with
 * {@value #REALS} NAT real servers each (10.(2+d).x.y:8080, weight 1), written the ways
 * the comparison needs it: lbkit's {@link IpvsOp}s and {@link VirtualService}s, a
 * keepalived.conf, and the two {@code nft -f} anchors of issue 13 — nftlb style (one rule
 * per service: {@code dnat to numgen inc mod N map {...}}) and kube-proxy style (a verdict
 * map of services, a chain per service with {@code numgen random mod N vmap}, a chain per
 * endpoint with {@code dnat}). Pure code.
 */
record Fleet(int services) {
  static final int REALS = 10;
  static final int PORT = 80;
  static final int REAL_PORT = 8080;

  Fleet {
    if (services < 1 || services > 65536) {
      throw new IllegalArgumentException("services must be 1-65536: " + services);
    }
  }

  static String vipText(int i) {
    return "10.1." + (i >> 8) + "." + (i & 255);
  }

  static String realText(int i, int d) {
    return "10." + (2 + d) + "." + (i >> 8) + "." + (i & 255);
  }

  /**
   * Service {@code i}'s scheduler: rr when {@code i % 10 == 9}, else wrr. On an rr service a
   * weight change between non-zero weights moves no slot: the change is one dests element,
   * no rule rewritten (what keeps such a change off the kernel's table-wide checks).
   */
  static Scheduler scheduler(int i) {
    return i % 10 == 9 ? Scheduler.RR : Scheduler.WRR;
  }

  static ServiceKey key(int i) {
    return ServiceKey.of(Protocol.TCP, Inet.parse(vipText(i)), PORT);
  }

  static InetAddress real(int i, int d) {
    return Inet.parse(realText(i, d));
  }

  static RealServerKey realKey(int i, int d) {
    return RealServerKey.of(realText(i, d), REAL_PORT);
  }

  static IpvsDest dest(int i, int d, int weight) {
    return IpvsDest.of(real(i, d), REAL_PORT, Forwarding.NAT, weight);
  }

  /** The whole table as lbkit changes: a service, then its real servers. */
  List<IpvsOp> ops() {
    List<IpvsOp> ops = new ArrayList<>(services * (REALS + 1));
    for (int i = 0; i < services; i++) {
      ServiceKey k = key(i);
      ops.add(new IpvsOp.AddService(IpvsService.of(k, scheduler(i))));
      for (int d = 0; d < REALS; d++) {
        ops.add(new IpvsOp.AddDest(k, dest(i, d, 1)));
      }
    }
    return ops;
  }

  /** The same as the Director's desired services. */
  List<VirtualService> virtualServices() {
    List<VirtualService> out = new ArrayList<>(services);
    for (int i = 0; i < services; i++) {
      VirtualService v = VirtualService.of(key(i)).scheduler(scheduler(i)).nat();
      for (int d = 0; d < REALS; d++) {
        v = v.add(RealServer.of(real(i, d), REAL_PORT).weight(1));
      }
      out.add(v);
    }
    return out;
  }

  /** The same as a keepalived.conf (no health checks: lbctl apply takes every real server as up). */
  String keepalivedConf() {
    StringBuilder b = new StringBuilder(services * 600);
    for (int i = 0; i < services; i++) {
      b.append("virtual_server ").append(vipText(i)).append(' ').append(PORT).append(" {\n")
          .append("  lb_algo ").append(scheduler(i).name()).append("\n  lb_kind NAT\n  protocol TCP\n");
      for (int d = 0; d < REALS; d++) {
        b.append("  real_server ").append(realText(i, d)).append(' ').append(REAL_PORT).append(" {\n    weight 1\n  }\n");
      }
      b.append("}\n");
    }
    return b.toString();
  }

  /** nftlb style, table {@code ip nftlb}: one rule per service in one prerouting chain. */
  String nftlb() {
    StringBuilder b = new StringBuilder(services * 300);
    b.append("table ip nftlb {\n chain prerouting {\n  type nat hook prerouting priority dstnat; policy accept;\n");
    for (int i = 0; i < services; i++) {
      b.append("  ").append(nftlbRule(i, List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1))).append('\n');
    }
    return b.append(" }\n}\n").toString();
  }

  /**
   * Service {@code i}'s nftlb-style rule for these weights of its real servers 0..n-1
   * (weight w: w slots, as nftlb spreads weights; 0: none).
   */
  static String nftlbRule(int i, List<Integer> weights) {
    StringBuilder m = new StringBuilder();
    int slot = 0;
    for (int d = 0; d < weights.size(); d++) {
      for (int w = 0; w < weights.get(d); w++) {
        m.append(slot == 0 ? "" : ", ").append(slot++).append(" : ").append(realText(i, d)).append(" . ")
            .append(REAL_PORT);
      }
    }
    return "ip daddr " + vipText(i) + " tcp dport " + PORT + " dnat to numgen inc mod " + slot + " map { " + m + " }";
  }

  /** The handle nft gives service {@code i}'s rule in a fresh {@link #nftlb()} table (each anonymous map takes one before it). */
  static long nftlbHandle(int i) {
    return 3 + 2L * i;
  }

  /** kube-proxy style, table {@code ip kube}. */
  String kube() {
    StringBuilder b = new StringBuilder(services * 1200);
    b.append("table ip kube {\n");
    for (int i = 0; i < services; i++) {
      StringBuilder vmap = new StringBuilder();
      for (int d = 0; d < REALS; d++) {
        b.append(" chain ep_").append(i).append('_').append(d).append(" {\n  meta l4proto tcp dnat to ")
            .append(realText(i, d)).append(':').append(REAL_PORT).append("\n }\n");
        vmap.append(d == 0 ? "" : ", ").append(d).append(" : goto ep_").append(i).append('_').append(d);
      }
      b.append(" chain svc_").append(i).append(" {\n  numgen random mod ").append(REALS).append(" vmap { ")
          .append(vmap).append(" }\n }\n");
    }
    b.append(" map services {\n  type ipv4_addr . inet_proto . inet_service : verdict\n  elements = { ");
    for (int i = 0; i < services; i++) {
      b.append(i == 0 ? "" : ", ").append(vipText(i)).append(" . tcp . ").append(PORT).append(" : goto svc_")
          .append(i);
    }
    b.append(" }\n }\n chain prerouting {\n  type nat hook prerouting priority dstnat; policy accept;\n"
        + "  ip daddr . meta l4proto . th dport vmap @services\n }\n}\n");
    return b.toString();
  }
}

package io.lbkit.config.keepalived;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.RealServer;
import io.lbkit.api.SchedulerFlag;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.FileCheck;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.SmtpCheck;
import io.lbkit.api.check.UdpCheck;
import java.util.HexFormat;
import java.util.List;

/** virtual_server bodies, real servers and checkers as text (part of {@link Exporter}). */
final class ServiceText {
  private ServiceText() {}

  static String head(ServiceKey k) {
    return k instanceof ServiceKey.Inet i ? Exporter.ip(i.address()) + " " + i.port()
        : "fwmark " + Integer.toUnsignedString(((ServiceKey.Fwmark) k).mark());
  }

  /** True if all services differ only in their key. */
  static boolean sameBody(List<VirtualService> l) {
    VirtualService first = l.get(0);
    for (VirtualService v : l) {
      VirtualService moved = rekey(v, first.key());
      if (moved == null || !moved.equals(first)) {
        return false;
      }
    }
    return true;
  }

  private static VirtualService rekey(VirtualService v, ServiceKey k) {
    try {
      VirtualService r = VirtualService.of(k).scheduler(v.scheduler()).forwarding(v.forwarding());
      r = v.schedulerFlags().isEmpty() ? r : r.flags(v.schedulerFlags().toArray(new SchedulerFlag[0]));
      r = v.persistence().isPresent() ? r.persistent(v.persistence().get()) : r;
      r = v.isOnePacket() ? r.onePacket() : r;
      for (RealServer rs : v.realServers()) {
        r = r.add(rs);
      }
      r = v.sorryServer().isPresent() ? r.sorryServer(v.sorryServer().get()) : r;
      return r.sorryServerInhibit(v.isSorryServerInhibit()).quorum(v.quorum(), v.hysteresis())
          .delayLoop(v.delayLoop()).alpha(v.isAlpha()).omega(v.isOmega())
          .quorumUpCommand(v.quorumUpCommand().orElse(null)).quorumDownCommand(v.quorumDownCommand().orElse(null))
          .haSuspend(v.isHaSuspend());
    } catch (RuntimeException e) {
      return null;
    }
  }

  static void body(Exporter e, String head, VirtualService v) {
    e.open(head);
    ServiceKey k = v.key();
    if (k instanceof ServiceKey.Fwmark f && f.family() == Family.INET6) {
      e.kv("ip_family", "inet6");
    }
    e.kv("delay_loop", Exporter.secs(v.delayLoop()));
    e.kv("lvs_sched", v.scheduler().name());
    for (SchedulerFlag f : v.schedulerFlags()) {
      e.line(f.label());
    }
    e.kv("lvs_method", method(v.forwarding()));
    if (v.persistence().isPresent()) {
      Persistence p = v.persistence().get();
      e.kv("persistence_timeout", p.timeoutSeconds());
      if (p.prefixLength() != 128) {
        boolean v4 = k.family() == Family.INET && p.prefixLength() <= 32;
        int m = Persistence.maskOf(p.prefixLength());
        e.kv("persistence_granularity", v4 ? ((m >>> 24) & 255) + "." + ((m >>> 16) & 255) + "." + ((m >>> 8) & 255)
            + "." + (m & 255) : Integer.toString(p.prefixLength()));
      }
      e.kv("persistence_engine", p.engine());
    }
    if (k instanceof ServiceKey.Inet i) {
      e.kv("protocol", i.protocol().name());
    }
    e.flag("ops", v.isOnePacket());
    e.kv("quorum", v.quorum());
    e.kv("hysteresis", v.hysteresis());
    e.flag("alpha", v.isAlpha());
    e.flag("omega", v.isOmega());
    v.quorumUpCommand().ifPresent(c -> e.kv("quorum_up", Exporter.q(c)));
    v.quorumDownCommand().ifPresent(c -> e.kv("quorum_down", Exporter.q(c)));
    e.flag("ha_suspend", v.isHaSuspend());
    if (v.sorryServer().isPresent()) {
      RealServer s = v.sorryServer().get();
      e.kv("sorry_server", Exporter.ip(s.address()) + " " + s.port());
      s.forwarding().ifPresent(f -> e.kv("sorry_server_lvs_method", method(f)));
      e.flag("sorry_server_inhibit", v.isSorryServerInhibit());
    }
    for (RealServer r : v.realServers()) {
      e.open("real_server " + Exporter.ip(r.address()) + " " + r.port());
      e.kv("weight", r.weight());
      e.flag("inhibit_on_failure", r.isInhibitOnFailure());
      r.forwarding().ifPresent(f -> e.kv("lvs_method", method(f)));
      if (r.upperThreshold() != 0) {
        e.kv("uthreshold", r.upperThreshold());
      }
      if (r.lowerThreshold() != 0) {
        e.kv("lthreshold", r.lowerThreshold());
      }
      r.notifyUpCommand().ifPresent(c -> e.kv("notify_up", Exporter.q(c)));
      r.notifyDownCommand().ifPresent(c -> e.kv("notify_down", Exporter.q(c)));
      for (CheckSpec c : r.checks()) {
        check(e, c);
      }
      e.close();
    }
    e.close();
  }

  static String method(Forwarding f) {
    Forwarding.Method m = f.method();
    if (m == Forwarding.Method.MASQ) {
      return "NAT";
    } else if (m == Forwarding.Method.DROUTE) {
      return "DR";
    } else if (m == Forwarding.Method.LOCAL) {
      return "LOCAL";
    } else if (m != Forwarding.Method.TUNNEL) {
      throw new IllegalArgumentException("keepalived has no forwarding method " + m);
    }
    return "TUN" + switch (f.tunnelType()) {
      case IPIP -> "";
      case GUE -> " type gue port " + f.tunnelPort();
      case GRE -> " type gre";
    } + switch (f.csum()) {
      case NOCSUM -> "";
      case CSUM -> " csum";
      case REMCSUM -> " remcsum";
    };
  }


  private static void check(Exporter e, CheckSpec c) {
    e.open(c.type());
    if (c instanceof HttpCheck h) {
      for (HttpCheck.Url u : h.urls()) {
        e.open("url");
        e.kv("path", u.path());
        e.kv("digest", u.digest());
        if (!u.statusRanges().isEmpty()) {
          StringBuilder sb = new StringBuilder();
          for (int[] r : u.statusRanges()) {
            sb.append(sb.length() > 0 ? " " : "").append(r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]);
          }
          e.kv("status_code", sb);
        }
        e.kv("regex", u.regex() == null ? null : Exporter.q(u.regex()));
        e.flag("regex_no_match", u.regexNoMatch());
        e.kv("virtualhost", u.virtualHost());
        e.close();
      }
      e.kv("virtualhost", h.virtualHost());
      if (!"1.0".equals(h.httpVersion())) {
        e.kv("http_protocol", h.httpVersion());
      }
    } else if (c instanceof MiscCheck m) {
      e.kv("misc_path", Exporter.command(m.command()));
      e.kv("misc_timeout", Exporter.secs(m.timeout()));
      e.flag("misc_dynamic", m.dynamic());
      e.kv("user", m.user());
    } else if (c instanceof SmtpCheck s) {
      e.kv("helo_name", s.heloName());
    } else if (c instanceof DnsCheck d) {
      e.kv("type", d.queryType());
      e.kv("name", d.name());
    } else if (c instanceof UdpCheck u) {
      if (u.payload().length > 0) {
        e.kv("payload", HexFormat.of().formatHex(u.payload()));
      }
      if (u.requireReply()) {
        e.line(("require_reply " + (u.replyPattern() == null ? "" : u.replyPattern())).strip());
      }
    } else if (c instanceof FileCheck f) {
      e.kv("track_file", e.fileBlock(f.path()));
      e.kv("weight", f.weight()); // always: without it the block's own weight applies
    }
    if (!(c instanceof FileCheck) && !c.type().equals("BFD_CHECK")) {
      timing(e, c.timing(), !(c instanceof MiscCheck));
    }
    if (!(c instanceof MiscCheck) && !(c instanceof FileCheck) && !c.type().equals("BFD_CHECK")) {
      target(e, c.target());
    }
    e.close();
  }

  private static void timing(Exporter e, CheckTiming t, boolean connectTimeout) {
    if (connectTimeout) {
      e.kv("connect_timeout", Exporter.secs(t.connectTimeout()));
    }
    e.kv("retry", t.retry());
    e.kv("delay_before_retry", Exporter.secs(t.delayBeforeRetry()));
    e.kv("delay_loop", Exporter.secs(t.interval()));
    e.kv("warmup", Exporter.secs(t.warmup()));
  }

  private static void target(Exporter e, CheckTarget t) {
    e.kv("connect_ip", Exporter.ip(t.connectIp()));
    if (t.connectPort() != 0) {
      e.kv("connect_port", t.connectPort());
    }
    e.kv("bindto", Exporter.ip(t.bindTo()));
    if (t.bindPort() != 0) {
      e.kv("bind_port", t.bindPort());
    }
    e.kv("bind_if", t.bindInterface());
    if (t.fwmark() != 0) {
      e.kv("fwmark", Integer.toUnsignedString(t.fwmark()));
    }
  }
}

package io.lbkit.config.keepalived;

import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.CustomCheck;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.FileCheck;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.PingCheck;
import io.lbkit.api.check.SmtpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.check.UdpCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** Checker blocks of a real_server: HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK. */
final class CheckMapper {
  private final Values v;
  private final Diags d;
  private final Model m;

  CheckMapper(Values v, Model m) {
    this.v = v;
    this.d = v.diags();
    this.m = m;
  }

  /** A retry count keepalived accepts (0-4294967295) as lbkit's int: above 2^31-1 it is capped (in effect endless). */
  static int retryCount(long r) {
    return (int) Math.min(r, Integer.MAX_VALUE);
  }

  /**
   * {@code t}, or the equal timing the check before it got (a large configuration's checks mostly
   * share one: held once, not once per real server).
   */
  private CheckTiming shared(CheckTiming t) {
    CheckTiming last = m.lastTiming;
    if (last != null && last.retry() == t.retry() && last.rise() == t.rise() && last.fall() == t.fall()
        && last.connectTimeout().equals(t.connectTimeout()) && last.delayBeforeRetry().equals(t.delayBeforeRetry())
        && java.util.Objects.equals(last.interval(), t.interval()) && java.util.Objects.equals(last.warmup(), t.warmup())) {
      return last;
    }
    m.lastTiming = t;
    return t;
  }

  /**
   * The check of this real_server child, or null (reported) if it is none or broken;
   * {@code rs} is the real server's address (the default connect_ip), {@code inherited}
   * the timing its real_server and virtual_server blocks set.
   */
  CheckSpec check(Node b, InetAddress rs, CheckDefaults inherited) {
    String type = b.name();
    switch (type) {
      case "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK",
          "ICMP_CHECK", "FILE_CHECK", "BFD_CHECK" -> { }
      default -> {
        CheckHints.realServerUnknown(d, b);
        return null;
      }
    }
    if (!v.block(b)) {
      return null;
    }
    java.util.Set<String> allowed = Keywords.checker(type);
    if (type.equals("MISC_CHECK") && m.scriptNodes.stream().noneMatch(x -> x.keyword.equals(b.keyword))) {
      m.scriptNodes.add(b);
    }
    CheckTiming t = inherited.applyTo(switch (type) {
      case "HTTP_GET", "SSL_GET" -> CheckTiming.DEFAULT.retry(1, Duration.ofSeconds(3));
      case "DNS_CHECK" -> CheckTiming.DEFAULT.retry(3, CheckTiming.DEFAULT.delayBeforeRetry());
      case "MISC_CHECK" -> CheckTiming.DEFAULT.retry(0, CheckTiming.DEFAULT.delayBeforeRetry());
      default -> CheckTiming.DEFAULT;
    });
    CheckTarget target = CheckTarget.REAL_SERVER;
    boolean dstV6 = rs instanceof java.net.Inet6Address;
    Boolean bindV6 = null;
    CheckArgs args = new CheckArgs(v);
    List<HttpCheck.Url> urls = new ArrayList<>();
    String vhost = null;
    String httpVersion = "1.0";
    List<String> misc = null;
    Duration miscTimeout = null;
    boolean dynamic = false;
    String user = null;
    String helo = null;
    String dnsType = "SOA";
    String dnsName = null;
    byte[] payload = new byte[0];
    boolean requireReply = false;
    String reply = null;
    Long minReply = null;
    Long maxReply = null;
    String file = null;
    Integer fileWeight = null;
    try {
      for (Node n : b.children) {
        String k = n.name();
        if (k.equals("nb_sock_retry")) {
          d.error(n.keyword, "unknown keyword 'nb_sock_retry' in " + type + ": keepalived 2.2.7 no longer knows this "
              + "old SMTP_CHECK spelling and ignores it; use retry");
          continue;
        }
        if (k.equals("nb_get_retry")) {
          boolean applies = type.endsWith("_GET");
          if (!applies) {
            d.error(n.keyword, "unknown keyword '" + k + "' in " + type + " (keepalived ignores it here); use retry");
            continue;
          }
          d.warn(n.keyword, k + " is deprecated; use retry (read as retry)");
          k = "retry";
        }
        if (!allowed.contains(k)) {
          CheckHints.misplaced(d, n, type, allowed);
          continue;
        }
        switch (k) {
          case "connect_ip" -> {
            InetAddress a = v.address(n, 0);
            if (a != null && bindV6 != null && bindV6 != a instanceof java.net.Inet6Address) {
              d.error(n.at(0), "connect_ip " + n.arg(0) + " is not of bindto's address family (keepalived skips it)");
            } else if (a != null) {
              target = target.ip(a);
              dstV6 = a instanceof java.net.Inet6Address;
            }
          }
          case "connect_port" -> target = target.port((int) (long) VrrpMapper.orElse(v.decimal(n, 0, 1, 65535),
              (long) target.connectPort()));
          case "bindto" -> {
            InetAddress a = v.address(n, 0);
            if (a != null && dstV6 != a instanceof java.net.Inet6Address) {
              d.error(n.at(0), "bindto " + n.arg(0) + " is not of the " + (target.connectIp() != null ? "connect_ip's"
                  : "real server's") + " address family (keepalived skips it)");
            } else if (a != null) {
              bindV6 = a instanceof java.net.Inet6Address;
              target = new CheckTarget(target.connectIp(), target.connectPort(), a, target.bindPort(),
                  target.bindInterface(), target.fwmark());
            }
          }
          case "bind_port" -> target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(),
              (int) (long) VrrpMapper.orElse(v.decimal(n, 0, 1, 65535), (long) target.bindPort()),
              target.bindInterface(),
              target.fwmark());
          case "bind_if" -> {
            if (v.need(n, 1) && n.arg(0).length() > 15) {
              d.error(n.at(0), "bind_if " + n.arg(0) + ": an interface name has at most 15 characters (keepalived "
                  + "ignores the line)");
            } else if (n.argc() > 0) {
              target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(), target.bindPort(),
                  n.arg(0), target.fwmark());
            }
          }
          case "fwmark" -> target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(),
              target.bindPort(), target.bindInterface(), (int) (long) VrrpMapper.orElse(v.decimal(n, 0, 0,
              Values.UINT_MAX), Integer.toUnsignedLong(target.fwmark())));
          case "connect_timeout" -> t = t.connectTimeout(VrrpMapper.orElse(v.timer(n, 0, 1, Values.UINT_MAX),
              t.connectTimeout()));
          case "retry" -> {
            Long r = v.decimal(n, 0, 0, Values.UINT_MAX);
            if (r != null && r > Integer.MAX_VALUE) {
              d.warn(n.at(0), k + " " + n.arg(0) + ": lbkit caps it at " + Integer.MAX_VALUE
                  + " (retries without end)");
            }
            t = r == null ? t : t.retry(retryCount(r), t.delayBeforeRetry());
          }
          case "delay_before_retry" -> t = t.retry(t.retry(), VrrpMapper.orElse(v.timer(n, 0, 0, null),
              t.delayBeforeRetry()));
          case "delay_loop" -> t = t.interval(VrrpMapper.orElse(v.timer(n, 0, 1, null), t.interval()));
          case "warmup" -> t = t.warmup(VrrpMapper.orElse(v.timer(n, 0, 0, null), t.warmup()));
          case "alpha", "log_all_failures", "enable_sni", "fast_recovery" -> v.flag(n, 0);
          case "url" -> {
            HttpCheck.Url u = args.url(n);
            if (u != null) {
              urls.add(u);
            }
          }
          case "virtualhost" -> vhost = v.need(n, 1) ? n.arg(0) : vhost;
          case "http_protocol" -> httpVersion = VrrpMapper.orElse(args.httpProtocol(n), httpVersion);
          case "misc_path" -> misc = v.need(n, 1) ? (n.argc() == 1 ? Mapper.words(n.arg(0)) : Mapper.argList(n))
              : misc;
          case "misc_timeout" -> {
            // whole seconds (keepalived: read_unsigned, 0-UINT_MAX/1000000); 0 = not set
            Long s = v.decimal(n, 0, 0, Values.UINT_MAX / 1_000_000);
            miscTimeout = s == null ? miscTimeout : s == 0 ? null : Duration.ofSeconds(s);
          }
          case "misc_dynamic" -> dynamic = true;
          case "user" -> user = v.need(n, 1) ? n.arg(0) : user;
          case "helo_name" -> helo = v.need(n, 1) ? n.arg(0) : helo;
          case "host" -> d.warn(n.keyword, "SMTP_CHECK host { } is deprecated and lbkit does not carry it (keepalived "
              + "2.2.7 still checks each host); use one SMTP_CHECK per host");
          case "type" -> dnsType = VrrpMapper.orElse(args.dnsType(n), dnsType);
          case "name" -> dnsName = args.dnsName(n, dnsName);
          case "payload" -> payload = VrrpMapper.orElse(args.hex(n, false), payload);
          case "require_reply" -> {
            requireReply = true;
            reply = n.argc() == 0 || args.hex(n, true) == null ? null : n.rest();
          }
          case "min_reply_length" -> minReply = VrrpMapper.orElse(v.decimal(n, 0, 0, 65535), minReply);
          case "max_reply_length" -> maxReply = VrrpMapper.orElse(v.decimal(n, 0, 0, 65535), maxReply);
          case "track_file" -> {
            if (v.need(n, 1)) {
              m.contextReads++;
              io.lbkit.api.vrrp.TrackedFile tf = m.files.get(n.arg(0));
              if (tf != null) {
                file = tf.path().toString(); // the check reads the block's file
                if (fileWeight == null) {
                  fileWeight = tf.reverse() ? -tf.weight() : tf.weight(); // the block's weight is the default
                }
              } else if (m.trackFiles.containsKey(n.arg(0))) {
                m.fileRefs.add(n.at(0)); // defined but dropped: reported with the other references
              } else {
                d.error(n.at(0), "track_file " + n.arg(0) + ": no track_file block " + n.arg(0)
                    + " is defined before this FILE_CHECK; keepalived does not find it");
              }
            }
          }
          case "weight" -> fileWeight = VrrpMapper.orElse(args.fileWeight(n), fileWeight);
          default -> CheckHints.misplaced(d, n, type, allowed);
        }
      }
      if (minReply != null && minReply > (maxReply != null ? maxReply : 255)) {
        d.warn(b.end(), "UDP_CHECK min_reply_length " + minReply + " > max_reply_length " + (maxReply != null ? maxReply
            : "255 (the default)") + ": keepalived accepts it, but the check always fails");
      }
      dnsName = dnsName == null ? "." : dnsName;
      t = shared(t);
      return switch (type) {
        case "HTTP_GET", "SSL_GET" -> {
          if (urls.isEmpty()) {
            d.error(b.keyword, type + " has no url { path ... }");
            yield null;
          }
          yield new HttpCheck(type.equals("SSL_GET"), urls, vhost, httpVersion, null, null, t, target);
        }
        case "TCP_CHECK" -> { // the same check as the real server's before shares its instance
          TcpCheck last = m.lastTcpCheck;
          yield last != null && last.timing() == t && last.target() == target ? last
              : (m.lastTcpCheck = new TcpCheck(t, target));
        }
        case "MISC_CHECK" -> {
          if (misc == null) {
            d.error(b.keyword, "MISC_CHECK has no misc_path");
            yield null;
          }
          yield new MiscCheck(misc, miscTimeout != null ? miscTimeout : t.connectTimeout(), dynamic, user, t, target);
        }
        case "SMTP_CHECK" -> new SmtpCheck(helo, t, target);
        case "DNS_CHECK" -> new DnsCheck(dnsType, dnsName, t, target);
        case "UDP_CHECK" -> new UdpCheck(payload, requireReply, reply, t, target);
        case "PING_CHECK", "ICMP_CHECK" -> new PingCheck(t, target);
        case "FILE_CHECK" -> {
          if (file == null) {
            d.error(b.end(), "FILE_CHECK has no track_file of a defined track_file block; keepalived ignores it");
            yield null;
          }
          yield new FileCheck(file, fileWeight == null ? 1 : fileWeight, t, target);
        }
        default -> new CustomCheck(type, Map.of(), t, target);
      };
    } catch (IllegalArgumentException e) {
      d.error(b.keyword, type + ": " + e.getMessage());
      return null;
    }
  }
}

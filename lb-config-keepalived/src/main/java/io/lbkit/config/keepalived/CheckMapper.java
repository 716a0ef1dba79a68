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
import java.util.HexFormat;
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

  /** The check of this real_server child, or null (reported) if it is none or broken. */
  CheckSpec check(Node b) {
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
    CheckTiming t = switch (type) {
      case "HTTP_GET", "SSL_GET" -> CheckTiming.DEFAULT.retry(1, Duration.ofSeconds(3));
      case "DNS_CHECK" -> CheckTiming.DEFAULT.retry(3, CheckTiming.DEFAULT.delayBeforeRetry());
      case "MISC_CHECK" -> CheckTiming.DEFAULT.retry(0, CheckTiming.DEFAULT.delayBeforeRetry());
      default -> CheckTiming.DEFAULT;
    };
    CheckTarget target = CheckTarget.REAL_SERVER;
    List<HttpCheck.Url> urls = new ArrayList<>();
    String vhost = null;
    String httpVersion = "1.0";
    List<String> misc = null;
    Duration miscTimeout = null;
    boolean dynamic = false;
    String user = null;
    String helo = null;
    String dnsType = "SOA";
    String dnsName = ".";
    byte[] payload = new byte[0];
    boolean requireReply = false;
    String reply = null;
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
          case "connect_ip" -> target = target.ip(v.address(n, 0));
          case "connect_port" -> target = target.port(VrrpMapper.orElse(v.port(n, 0), 0));
          case "bindto" -> target = new CheckTarget(target.connectIp(), target.connectPort(), v.address(n, 0),
              target.bindPort(), target.bindInterface(), target.fwmark());
          case "bind_port" -> target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(),
              VrrpMapper.orElse(v.port(n, 0), 0), target.bindInterface(), target.fwmark());
          case "bind_if" -> target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(),
              target.bindPort(), n.argc() > 0 ? n.arg(0) : null, target.fwmark());
          case "fwmark" -> target = new CheckTarget(target.connectIp(), target.connectPort(), target.bindTo(),
              target.bindPort(), target.bindInterface(), (int) (long) VrrpMapper.orElse(v.integer(n, 0, 0,
              0xffffffffL), 0L));
          case "connect_timeout" -> t = t.connectTimeout(VrrpMapper.orElse(v.seconds(n, 0, 0.000001, 86400),
              t.connectTimeout()));
          case "retry" -> t = t.retry(VrrpMapper.orElse(v.int32(n, 0, 0, Integer.MAX_VALUE), t.retry()),
              t.delayBeforeRetry());
          case "delay_before_retry" -> t = t.retry(t.retry(), VrrpMapper.orElse(v.seconds(n, 0, 0, 86400),
              t.delayBeforeRetry()));
          case "delay_loop" -> t = t.interval(VrrpMapper.orElse(v.seconds(n, 0, 0.000001, 86400 * 365),
              t.interval()));
          case "warmup" -> t = t.warmup(v.seconds(n, 0, 0, 86400));
          case "alpha", "log_all_failures", "enable_sni", "fast_recovery", "regex_max_offset", "ca",
              "min_reply_length", "max_reply_length" -> { }
          case "url" -> {
            HttpCheck.Url u = url(n);
            if (u != null) {
              urls.add(u);
            }
          }
          case "virtualhost" -> vhost = v.need(n, 1) ? n.arg(0) : null;
          case "http_protocol" -> httpVersion = v.need(n, 1) ? n.arg(0).replace("HTTP/", "") : httpVersion;
          case "misc_path" -> misc = v.need(n, 1) ? (n.argc() == 1 ? Mapper.words(n.arg(0)) : Mapper.argList(n))
              : null;
          case "misc_timeout" -> miscTimeout = v.seconds(n, 0, 0.000001, 86400);
          case "misc_dynamic" -> dynamic = true;
          case "user" -> user = n.argc() > 0 ? n.arg(0) : null;
          case "helo_name" -> helo = v.need(n, 1) ? n.arg(0) : null;
          case "host" -> d.warn(n.keyword, "SMTP_CHECK host { } is deprecated; use one SMTP_CHECK per host");
          case "type" -> dnsType = v.need(n, 1) ? n.arg(0) : dnsType;
          case "name" -> dnsName = v.need(n, 1) ? n.arg(0) : dnsName;
          case "payload" -> payload = hex(n);
          case "require_reply" -> {
            requireReply = true;
            reply = n.argc() > 0 ? n.arg(0) : null;
          }
          case "track_file" -> {
            if (v.need(n, 1)) {
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
          case "weight" -> {
            // keepalived 2.2.7 takes the whole int range here (unlike in a track_file block)
            Integer w = v.int32(n, 0, -2147483647, 2147483647);
            if (w != null) {
              boolean reverse = n.argc() > 1 && n.arg(1).equals("reverse");
              if (n.argc() > 1 && !reverse) {
                d.warn(n.at(1), "weight: '" + n.arg(1) + "' ignored (expected 'reverse')");
              }
              fileWeight = reverse ? -w : w;
            }
          }
          default -> CheckHints.misplaced(d, n, type, allowed);
        }
      }
      return switch (type) {
        case "HTTP_GET", "SSL_GET" -> {
          if (urls.isEmpty()) {
            d.error(b.keyword, type + " has no url { path ... }");
            yield null;
          }
          yield new HttpCheck(type.equals("SSL_GET"), urls, vhost, httpVersion, null, null, t, target);
        }
        case "TCP_CHECK" -> new TcpCheck(t, target);
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

  private HttpCheck.Url url(Node n) {
    if (!v.block(n)) {
      return null;
    }
    String path = null;
    HttpCheck.Url u = null;
    List<int[]> ranges = new ArrayList<>();
    String digest = null;
    String regex = null;
    boolean noMatch = false;
    String vhost = null;
    for (Node c : n.children) {
      switch (c.name()) {
        case "path" -> path = v.need(c, 1) ? c.arg(0) : null;
        case "digest" -> digest = v.need(c, 1) ? c.arg(0) : null;
        case "status_code" -> {
          for (int i = 0; i < c.argc(); i++) {
            String s = c.arg(i);
            String[] p = s.split("-", 2);
            try {
              int from = Integer.parseInt(p[0]);
              int to = p.length > 1 ? Integer.parseInt(p[1]) : from;
              if (from < 100 || to > 999 || from > to) {
                throw new NumberFormatException();
              }
              ranges.add(new int[] {from, to});
            } catch (NumberFormatException e) {
              d.error(c.at(i), "status_code '" + s + "' is not a status or range within 100-999");
            }
          }
        }
        case "regex" -> regex = v.need(c, 1) ? c.arg(0) : null;
        case "regex_no_match" -> noMatch = true;
        case "virtualhost" -> vhost = v.need(c, 1) ? c.arg(0) : null;
        case "regex_min_offset", "regex_max_offset", "regex_stack", "regex_options" -> { }
        default -> Mapper.unknown(d, c, "url", Keywords.URL);
      }
    }
    if (path == null) {
      d.error(n.keyword, "url has no path");
      return null;
    }
    try {
      return new HttpCheck.Url(path, ranges, digest, regex, noMatch, vhost);
    } catch (IllegalArgumentException e) {
      d.error(n.keyword, "url: " + e.getMessage());
      return u;
    }
  }

  private byte[] hex(Node n) {
    String s = n.rest().replace(" ", "");
    try {
      byte[] b = HexFormat.of().parseHex(s);
      for (byte x : b) {
        if (x == (byte) 0xff) {
          d.warn(n.keyword, "payload byte ff: keepalived 2.2 rejects it (\"Invalid hex string\") and drops the payload");
          break;
        }
      }
      return b;
    } catch (IllegalArgumentException e) {
      d.error(n.keyword, "payload '" + n.rest() + "' is not an even number of hex digits");
      return new byte[0];
    }
  }
}

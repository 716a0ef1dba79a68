package io.lbkit.cli;

import io.lbkit.api.net.Inet;
import io.lbkit.checks.Genhash;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code lbctl genhash}: keepalived's genhash — the same options (short and long) and
 * the same output: the digest line, or with {@code -v} the header and body dumps.
 * Differences: exit 1 (not 0) when the connection fails; {@code -m} (fwmark) is
 * refused because plain Java cannot set SO_MARK.
 */
final class GenhashCommand implements Command {
  private static final String RULE = "-----------------------";

  @Override
  public String name() {
    return "genhash";
  }

  @Override
  public String usage() {
    return "genhash [-S] [-I] [-v] [-V host] [-P 1.0|1.0c|1.1] [-t s] -s server -p port -u url";
  }

  @Override
  public String summary() {
    return "print the MD5 digest of a URL like keepalived's genhash";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    boolean ssl = false;
    boolean sni = false;
    boolean verbose = false;
    String server = null;
    String url = null;
    String vhost = null;
    String protocol = "1.0";
    int port = -1;
    int timeout = 5;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-S", "--use-ssl" -> ssl = true;
        case "-I", "--use-sni" -> sni = true;
        case "-v", "--verbose" -> verbose = true;
        case "-s", "--server", "-p", "--port", "-u", "--url", "-V", "--use-virtualhost", "-P", "--protocol", "-t",
            "--timeout", "-m", "--fwmark" -> {
          if (i + 1 >= args.size()) {
            err.println("lbctl genhash: option " + a + " needs a value");
            return 2;
          }
          String v = args.get(++i);
          switch (a) {
            case "-s", "--server" -> server = v;
            case "-u", "--url" -> url = v;
            case "-V", "--use-virtualhost" -> vhost = v;
            case "-P", "--protocol" -> protocol = v;
            case "-m", "--fwmark" -> {
              err.println("lbctl genhash: -m/--fwmark is not supported (needs SO_MARK)");
              return 2;
            }
            default -> {
              Integer n = number(v);
              if (n == null || n < 0 || (a.contains("p") && n > 65535)) {
                err.println("lbctl genhash: bad number for " + a + ": \"" + v + "\"");
                return 2;
              }
              if (a.equals("-p") || a.equals("--port")) {
                port = n;
              } else {
                timeout = n;
              }
            }
          }
        }
        default -> {
          err.println("lbctl genhash: unknown option \"" + a + "\"; see lbctl genhash --help");
          return 2;
        }
      }
    }
    if (server == null || url == null || port < 0) {
      err.println("usage: lbctl " + usage());
      return 2;
    }
    if (!Inet.isLiteral(server)) {
      err.println("lbctl genhash: server must be an IP address: \"" + server + "\"");
      return 2;
    }
    if (!url.startsWith("/") || !(protocol.equals("1.0") || protocol.equals("1.0c") || protocol.equals("1.1"))) {
      err.println("lbctl genhash: url must start with '/' and protocol be 1.0, 1.0c or 1.1");
      return 2;
    }
    long t0 = System.nanoTime();
    Genhash.Result r = Genhash.fetch(new InetSocketAddress(Inet.parse(server), port), url, ssl,
        sni ? vhost : null, vhost, protocol, Duration.ofSeconds(Math.max(1, timeout)));
    if (!r.ok()) {
      out.println("Connection failed");
      if (verbose) {
        err.println("lbctl genhash: " + r.error());
      }
      return 1;
    }
    if (!verbose) {
      out.println(r.digest());
      return 0;
    }
    out.println(RULE + "[    HTTP Header Buffer    ]" + RULE);
    dump(r.header(), out);
    out.println(RULE + "[ HTTP Header Ascii Buffer ]" + RULE);
    out.println(new String(r.header(), StandardCharsets.ISO_8859_1));
    // genhash prints this rule only when the body arrives in a later read than the header
    // (it depends on how the server's bytes are split); lbctl always prints it
    out.println(RULE + "[        HTML Buffer        ]" + RULE);
    dump(r.body(), out);
    out.println();
    out.println(RULE + "[    HTML hash resulting    ]" + RULE);
    dump(HexFormat.of().parseHex(r.digest()), out);
    out.println(RULE + "[ HTML hash final resulting ]" + RULE);
    out.println(r.digest());
    out.println();
    out.println("Global response time for [" + url + "] = " + (System.nanoTime() - t0) / 1000 + " usecs");
    return 0;
  }

  private static Integer number(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** keepalived's dump_buffer: decimal offset, 16 hex bytes split by " -", then the printable bytes. */
  static void dump(byte[] b, PrintStream out) {
    int c = b.length % 16 == 0 ? b.length : b.length + 16 - b.length % 16;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c; i++) {
      if (i % 16 == 0) {
        sb.append(String.format("%04d ", i & 0xffff));
      }
      sb.append(i < b.length ? String.format("%3s", String.format("%02x", b[i] & 0xff)) : "   ");
      if ((i + 1) % 8 == 0) {
        if ((i + 1) % 16 != 0) {
          sb.append(" -");
        } else {
          sb.append("   ");
          for (int j = i - 15; j <= i; j++) {
            int v = j < b.length ? b[j] & 0xff : -1;
            sb.append(v < 0 ? ' ' : v >= 0x20 && v <= 0x7e ? (char) v : '.');
          }
          out.println(sb);
          sb.setLength(0);
        }
      }
    }
  }
}

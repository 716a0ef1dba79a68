package io.lbkit.cli;

import io.lbkit.api.net.Inet;
import io.lbkit.checks.Genhash;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lbctl genhash}: keepalived's genhash — the same options (short and long) and
 * the same output: the digest line, or with {@code -v} the header and body dumps.
 * Differences: exit 1 (not 0) when the connection fails; {@code -m} (fwmark) is
 * refused because plain Java cannot set SO_MARK.
 */
@Command(name = "genhash", sortOptions = false,
    description = {"Print the MD5 digest of a URL's body like keepalived's genhash (for HTTP_GET/SSL_GET digest).",
        "Same options and output as genhash; -m/--fwmark is not supported (plain Java cannot set SO_MARK)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:digest printed", "1:connection failed", "2:usage error"})
final class GenhashCommand extends Subcommand {
  private static final String RULE = "-----------------------";

  @Option(names = {"-s", "--server"}, required = true, paramLabel = "IP", description = "The server's IP address.")
  String server;

  @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", description = "The TCP port.")
  int port;

  @Option(names = {"-u", "--url"}, required = true, paramLabel = "URL", description = "The path to get, from '/'.")
  String url;

  @Option(names = {"-S", "--use-ssl"}, description = "Use TLS.")
  boolean ssl;

  @Option(names = {"-I", "--use-sni"}, description = "Send the virtual host (-V) as TLS SNI.")
  boolean sni;

  @Option(names = {"-V", "--use-virtualhost"}, paramLabel = "HOST", description = "The Host header to send.")
  String vhost;

  @Option(names = {"-P", "--protocol"}, paramLabel = "VERSION",
      description = "HTTP version: 1.0, 1.0c (1.0 with Connection: close) or 1.1. Default: ${DEFAULT-VALUE}.")
  String protocol = "1.0";

  @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
      description = "Connect and read timeout in seconds. Default: ${DEFAULT-VALUE}.")
  int timeout = 5;

  @Option(names = {"-m", "--fwmark"}, paramLabel = "MARK", description = "Not supported (needs SO_MARK).")
  String fwmark;

  @Option(names = {"-v", "--verbose"}, description = "Print the header and body dumps, as genhash -v.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintStream out = out();
    PrintStream err = err();
    if (fwmark != null) {
      throw usage("-m/--fwmark is not supported (needs SO_MARK)");
    }
    if (port < 0 || port > 65535 || timeout < 0) {
      throw usage("bad number for " + (timeout < 0 ? "-t/--timeout: " + timeout : "-p/--port: " + port));
    }
    if (!Inet.isLiteral(server)) {
      throw usage("server must be an IP address: \"" + Text.safe(server) + "\"");
    }
    if (!url.startsWith("/") || !(protocol.equals("1.0") || protocol.equals("1.0c") || protocol.equals("1.1"))) {
      throw usage("url must start with '/' and protocol be 1.0, 1.0c or 1.1");
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

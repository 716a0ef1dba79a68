package io.lbkit.fleet;

import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Announces VIPs through GoBGP's gobgpd, by its gRPC API through the {@code gobgp} client: each VIP is a path
 * {@code VIP/32} (or {@code /128}) of gobgpd's global RIB ({@code gobgp global rib add -a ipv4 VIP/32}, next hop left
 * to gobgpd: its session address on eBGP). The neighbors, AS numbers and timers are the operator's gobgpd
 * configuration; lbkit only adds and deletes these paths.
 *
 * <p>What is lbkit's: every path of gobgpd's global RIB with a /32 (IPv4) or /128 (IPv6) prefix that gobgpd did not
 * learn from a neighbor (no {@code neighbor-ip} in {@code gobgp global rib -j}). Each call reads them back, so a
 * restarted director adds only what is missing and deletes the stale ones it left; a restarted gobgpd (empty RIB) is
 * refilled at the director's next change or probe. Host routes the operator originates by hand on the same gobgpd
 * would be withdrawn: give lbkit a gobgpd of its own, or originate those as shorter prefixes (the rule of
 * {@link FrrAnnouncer}'s {@code network} statements, too).
 *
 * <p>Every command runs with a deadline (10 s); a refusal is an {@link IOException} naming the command line, its exit
 * code and output.
 *
 * <pre>{@code
 * VipAnnouncer gobgp = GobgpAnnouncer.of(List.of("gobgp", "-p", "50051"));           // the host's gobgpd
 * VipAnnouncer inNs = GobgpAnnouncer.of(List.of("ip", "netns", "exec", "dir1", "gobgp", "-p", "50051"));
 * }</pre>
 */
public final class GobgpAnnouncer implements VipAnnouncer {
  private static final long TIMEOUT_SECONDS = 10;
  private static final String PATH = "{\"nlri\":{\"prefix\":\"";
  private final List<String> gobgp;
  private final CommandRunner runner;

  private GobgpAnnouncer(List<String> gobgp, CommandRunner runner) {
    this.gobgp = List.copyOf(gobgp);
    this.runner = runner;
  }

  /**
   * An announcer running {@code gobgp} (the command and its options, e.g. {@code -p PORT} or {@code --target
   * unix:///run/gobgpd.sock}).
   */
  public static GobgpAnnouncer of(List<String> gobgp) {
    return of(gobgp, CommandRunner.withDeadline(TIMEOUT_SECONDS));
  }

  static GobgpAnnouncer of(List<String> gobgp, CommandRunner runner) {
    if (Objects.requireNonNull(gobgp, "gobgp").isEmpty()) {
      throw new IllegalArgumentException("gobgp command is empty");
    }
    return new GobgpAnnouncer(gobgp, runner);
  }

  /** The addresses of lbkit's paths in gobgpd's global RIB now (see the class comment), sorted as text. */
  public Set<String> announced() throws IOException {
    Set<String> out = new TreeSet<>();
    out.addAll(own("ipv4", "/32"));
    out.addAll(own("ipv6", "/128"));
    return out;
  }

  @Override
  public void announce(Set<InetAddress> vips) throws IOException {
    Map<String, String> want = new TreeMap<>();
    for (InetAddress a : vips) {
      want.put(Inet.format(a), a instanceof Inet4Address ? "ipv4" : "ipv6");
    }
    Set<String> have = announced();
    IOException failed = null;
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!have.contains(e.getKey())) {
        failed = change(failed, "add", e.getValue(), e.getKey());
      }
    }
    for (String s : have) {
      if (!want.containsKey(s)) {
        failed = change(failed, "del", s.contains(":") ? "ipv6" : "ipv4", s);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** One add or del; the others still run, the first failure is thrown at the end with the rest suppressed. */
  private IOException change(IOException failed, String op, String family, String address) {
    try {
      runner.run(command("global", "rib", op, "-a", family, address + (family.equals("ipv4") ? "/32" : "/128")));
      return failed;
    } catch (IOException e) {
      if (failed == null) {
        return e;
      }
      failed.addSuppressed(e);
      return failed;
    }
  }

  private Set<String> own(String family, String length) throws IOException {
    List<String> cmd = command("global", "rib", "-a", family, "-j");
    return parse(runner.run(cmd), length, String.join(" ", cmd));
  }

  /**
   * The local paths' addresses with this prefix length in {@code gobgp global rib -j}'s output: an object from prefix
   * to an array of paths, each {@code {"nlri":{"prefix":"P"},...}} with {@code "neighbor-ip"} if it was learned.
   */
  static Set<String> parse(String json, String length, String command) throws IOException {
    String s = json.strip();
    if (!s.startsWith("{") || s.startsWith("{\"error\"")) {
      throw new IOException(command + ": unexpected output: " + s);
    }
    Set<String> out = new TreeSet<>();
    String[] paths = s.split(Pattern.quote(PATH), -1);
    for (int i = 1; i < paths.length; i++) {
      int end = paths[i].indexOf('"');
      String prefix = end < 0 ? "" : paths[i].substring(0, end);
      if (prefix.endsWith(length) && !paths[i].contains("\"neighbor-ip\"")) {
        String address = prefix.substring(0, prefix.length() - length.length());
        try {
          out.add(Inet.format(Inet.parse(address)));
        } catch (IllegalArgumentException e) {
          throw new IOException(command + ": unexpected prefix " + prefix, e);
        }
      }
    }
    return out;
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(gobgp);
    cmd.addAll(List.of(args));
    return cmd;
  }
}

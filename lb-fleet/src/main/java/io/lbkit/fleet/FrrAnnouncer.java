package io.lbkit.fleet;

import io.lbkit.api.net.Inet;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Announces VIPs through FRR's bgpd, by {@code vtysh} commands: each VIP is a
 * {@code network VIP/32} (or {@code /128}) statement of {@code router bgp ASN}. The
 * announcer reads bgpd's running configuration each time, so a restarted bgpd is brought
 * back in step. bgpd must run with {@code no bgp network import-check} (the VIP is not a
 * route of the director's own table: nftables rewrites packets to it before routing);
 * BFD or short timers on the neighbor make a dead director's routes go fast. The
 * neighbors, timers and BFD are the operator's bgpd configuration; lbkit only adds and
 * removes {@code network} statements.
 *
 * <pre>{@code
 * VipAnnouncer frr = FrrAnnouncer.of(List.of("vtysh"), 65001);                  // the host's FRR
 * VipAnnouncer inNs = FrrAnnouncer.of(List.of("ip", "netns", "exec", "dir1",
 *     "vtysh", "--vty_socket", "/run/lbkit-frr/dir1"), 65001);                 // an FRR of its own
 * }</pre>
 */
public final class FrrAnnouncer implements VipAnnouncer {
  private static final long TIMEOUT_SECONDS = 10;
  private static final Pattern NETWORK = Pattern.compile("^\\s*network (\\S+)/(32|128)\\s*$", Pattern.MULTILINE);
  private final List<String> vtysh;
  private final long asn;
  private final CommandRunner runner;

  private FrrAnnouncer(List<String> vtysh, long asn, CommandRunner runner) {
    this.vtysh = List.copyOf(vtysh);
    this.asn = asn;
    this.runner = runner;
  }

  /**
   * An announcer running {@code vtysh} (the command and its options, e.g. {@code --vty_socket DIR}).
   *
   * @param asn bgpd's own AS number (its {@code router bgp ASN})
   */
  public static FrrAnnouncer of(List<String> vtysh, long asn) {
    if (Objects.requireNonNull(vtysh, "vtysh").isEmpty()) {
      throw new IllegalArgumentException("vtysh command is empty");
    }
    if (asn < 1 || asn > 4294967295L) {
      throw new IllegalArgumentException("AS number out of range 1-4294967295: " + asn);
    }
    return new FrrAnnouncer(vtysh, asn, CommandRunner.withDeadline(TIMEOUT_SECONDS));
  }

  /** The /32 and /128 {@code network} statements bgpd has now, as addresses. */
  public Set<String> announced() throws IOException {
    String running = run(List.of("-c", "show running-config"));
    Set<String> out = new TreeSet<>();
    Matcher m = NETWORK.matcher(running);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Override
  public void announce(Set<InetAddress> vips) throws IOException {
    Set<String> have = announced();
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    Set<String> want = new TreeSet<>();
    for (InetAddress a : vips) {
      String s = Inet.format(a);
      want.add(s);
      if (!have.contains(s)) {
        (a instanceof Inet4Address ? v4 : v6).add("network " + s + (a instanceof Inet4Address ? "/32" : "/128"));
      }
    }
    for (String s : have) {
      if (!want.contains(s)) {
        (s.contains(":") ? v6 : v4).add("no network " + s + (s.contains(":") ? "/128" : "/32"));
      }
    }
    if (v4.isEmpty() && v6.isEmpty()) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("-c", "configure terminal", "-c", "router bgp " + asn));
    family(args, "ipv4", v4);
    family(args, "ipv6", v6);
    String out = run(args);
    if (!out.isBlank()) {
      throw new IOException("vtysh refused (" + String.join(", ", v4) + " " + String.join(", ", v6) + "): "
          + out.strip());
    }
  }

  private static void family(List<String> args, String af, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    args.addAll(List.of("-c", "address-family " + af + " unicast"));
    for (String l : lines) {
      args.addAll(List.of("-c", l));
    }
    args.addAll(List.of("-c", "exit-address-family"));
  }

  private String run(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(vtysh);
    cmd.addAll(args);
    return runner.run(cmd);
  }
}

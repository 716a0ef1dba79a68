package io.lbkit.harness.netns;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A network namespace that a test owns: created with a unique name ({@code lbt-} and
 * eight random hex digits), used through {@code ip netns exec}, and deleted, with every
 * process started in it, on {@link #close()}. Everything this class does happens inside
 * namespaces it created; it never changes the host's own interfaces, addresses or
 * routes. Needs root ({@code Tiers.requireRoot(...)} first).
 *
 * <pre>{@code
 * try (NetNs a = NetNs.create(); NetNs b = NetNs.create()) {
 *   NetNs.veth(a, "eth0", b, "eth0");
 *   a.addAddress("eth0", "10.9.0.1/24");
 *   b.addAddress("eth0", "10.9.0.2/24");
 *   a.run("busybox", "ping", "-c", "1", "-W", "2", "10.9.0.2");
 *   Process server = b.start("keepalived", "-n", "-f", conf.toString());   // killed by close()
 * }
 * }</pre>
 *
 * <p>Every command has a deadline ({@link #DEFAULT_DEADLINE} unless
 * {@link #withDeadline} says otherwise). A namespace the test forgets to close is deleted
 * by a shutdown hook when the JVM exits. For N namespaces on one Ethernet segment see
 * {@link Lan}.
 */
public final class NetNs implements AutoCloseable {
  /** Deadline of each command unless set with {@link #withDeadline}. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
  /** Every namespace this class creates has a name starting with this. */
  public static final String PREFIX = "lbt-";

  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (String n : LIVE) {
        // remove first: a close() racing this hook (another shutdown hook) then does nothing
        if (LIVE.remove(n)) {
          Exec.run(DEFAULT_DEADLINE, "ip", "netns", "del", n);
        }
      }
    }, "netns-cleanup"));
  }

  private final String name;
  private final Duration deadline;
  private final List<Process> started;
  private final boolean owner;

  private NetNs(String name, Duration deadline, List<Process> started, boolean owner) {
    this.name = name;
    this.deadline = deadline;
    this.started = started;
    this.owner = owner;
  }

  /**
   * Creates a fresh namespace with loopback up.
   *
   * @throws IllegalStateException if {@code ip netns add} fails (not root?)
   */
  public static NetNs create() {
    for (int attempt = 0; attempt < 5; attempt++) {
      String n = PREFIX + String.format("%08x", RANDOM.nextInt());
      Exec.Result r = Exec.run(DEFAULT_DEADLINE, "ip", "netns", "add", n);
      if (r.ok()) {
        LIVE.add(n);
        NetNs ns = new NetNs(n, DEFAULT_DEADLINE, Collections.synchronizedList(new ArrayList<>()), true);
        ns.ip("link", "set", "lo", "up");
        return ns;
      }
      if (!r.stderr().contains("exists")) {
        throw new IllegalStateException("cannot create a network namespace (root needed): " + r.describe());
      }
    }
    throw new IllegalStateException("no free namespace name after 5 attempts");
  }

  /** A view of this namespace whose commands have another deadline (same namespace, same processes). */
  public NetNs withDeadline(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + d);
    }
    return new NetNs(name, d, started, false);
  }

  /** The namespace's name, as {@code ip netns list} shows it. */
  public String name() {
    return name;
  }

  /** Its bind mount, {@code /run/netns/NAME}, which {@code setns(2)} opens. */
  public Path path() {
    return Path.of("/run/netns", name);
  }

  /** Runs {@code argv} inside the namespace with this deadline; returns what it did, whatever its status. */
  public Exec.Result exec(String... argv) {
    return Exec.run(deadline, inside(List.of(argv)));
  }

  /**
   * Runs {@code argv} inside the namespace and returns its standard output.
   *
   * @throws IllegalStateException naming the command, status and stderr if it does not exit 0
   */
  public String run(String... argv) {
    return exec(argv).orThrow().stdout();
  }

  /** Runs {@code ip ARGS} inside the namespace; throws like {@link #run}. */
  public String ip(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
    argv.addAll(List.of(args));
    return Exec.run(deadline, argv).orThrow().stdout();
  }

  /**
   * Starts a long-running program inside the namespace, output to {@code log} (or discarded
   * if null). {@link #close()} kills it and everything it forked.
   */
  public Process start(Path log, String... argv) {
    ProcessBuilder pb = new ProcessBuilder(inside(List.of(argv))).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Process p = pb.start();
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", argv) + " in " + name, e);
    }
  }

  /** Starts a long-running program inside the namespace, discarding its output. */
  public Process start(String... argv) {
    return start(null, argv);
  }

  /**
   * Adds an interface to hold addresses, down (see {@link #up}): a {@code dummy} where the
   * kernel has that driver, otherwise (some CI and container kernels lack it) one end of a
   * veth pair whose other end, {@link #peerOf peerOf(ifName)}, is up in this namespace, so
   * that {@code ifName} gets a carrier once up. Either way it behaves as a VIP interface.
   */
  public NetNs addDummy(String ifName) {
    Exec.Result r = Exec.run(deadline, "ip", "-n", name, "link", "add", checkName(ifName), "type", "dummy");
    if (r.ok()) {
      return this;
    }
    if (!r.stderr().contains("Unknown device type")) {
      r.orThrow();
    }
    ip("link", "add", ifName, "type", "veth", "peer", "name", peerOf(ifName));
    ip("link", "set", peerOf(ifName), "up");
    return this;
  }

  /** The name of the veth peer {@link #addDummy} makes where there is no dummy driver. */
  public static String peerOf(String ifName) {
    String n = checkName(ifName);
    return (n.length() > 13 ? n.substring(0, 13) : n) + "-p";
  }

  /** Adds a bridge (up, no STP, forwarding at once). */
  public NetNs addBridge(String ifName) {
    ip("link", "add", checkName(ifName), "type", "bridge", "forward_delay", "0", "stp_state", "0");
    return up(ifName);
  }

  /** Sets an interface up. */
  public NetNs up(String ifName) {
    ip("link", "set", checkName(ifName), "up");
    return this;
  }

  /** Sets an interface down. */
  public NetNs down(String ifName) {
    ip("link", "set", checkName(ifName), "down");
    return this;
  }

  /** Adds {@code cidr} ({@code 10.9.0.1/24}, {@code fd00::1/64}; IPv6 without DAD) to an interface. */
  public NetNs addAddress(String ifName, String cidr) {
    List<String> a = new ArrayList<>(List.of("addr", "add", cidr, "dev", checkName(ifName)));
    if (cidr.contains(":")) {
      a.add("nodad");
    }
    ip(a.toArray(String[]::new));
    return this;
  }

  /** Removes {@code cidr} from an interface. */
  public NetNs delAddress(String ifName, String cidr) {
    ip("addr", "del", cidr, "dev", checkName(ifName));
    return this;
  }

  /** The interface's index in this namespace. */
  public int ifIndex(String ifName) {
    String out = ip("-o", "link", "show", "dev", checkName(ifName));
    return Integer.parseInt(out.substring(0, out.indexOf(':')).trim());
  }

  /** {@code ip -o addr show dev IF}: one line per address. */
  public List<String> addressLines(String ifName) {
    return ip("-o", "addr", "show", "dev", checkName(ifName)).lines().toList();
  }

  /**
   * Connects {@code a} and {@code b} with a veth pair: {@code nameA} in {@code a},
   * {@code nameB} in {@code b}, both up. The pair is made inside {@code a}, so its names
   * never exist on the host.
   */
  public static void veth(NetNs a, String nameA, NetNs b, String nameB) {
    Objects.requireNonNull(b, "b");
    a.ip("link", "add", checkName(nameA), "type", "veth", "peer", "name", checkName(nameB), "netns", b.name);
    a.up(nameA);
    b.up(nameB);
  }

  /** Whether {@code ip netns list} shows this namespace. */
  public boolean exists() {
    return Exec.run(deadline, "ip", "netns", "list").stdout().lines().anyMatch(l -> l.split(" ")[0].equals(name));
  }

  /**
   * Kills every process started in the namespace (with its children, and any other process
   * still inside it) and deletes the namespace with its interfaces. Idempotent. Views made by
   * {@link #withDeadline} do nothing here: close the namespace itself.
   */
  @Override
  public void close() {
    if (!owner) {
      return;
    }
    synchronized (started) {
      for (Process p : started) {
        Exec.kill(p);
      }
      started.clear();
    }
    // daemons that forked away from us are still inside: ip netns pids finds them
    Exec.Result pids = Exec.run(DEFAULT_DEADLINE, "ip", "netns", "pids", name);
    for (String pid : pids.stdout().split("\\s+")) {
      if (!pid.isBlank()) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    if (LIVE.remove(name)) {
      Exec.Result r = Exec.run(DEFAULT_DEADLINE, "ip", "netns", "del", name);
      // already gone (deleted behind our back) is the state close() wants, not an error
      if (Files.exists(Path.of("/run/netns", name))) {
        r.orThrow();
      }
    }
  }

  @Override
  public String toString() {
    return "netns " + name;
  }

  private List<String> inside(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command line for " + name);
    }
    List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", name));
    l.addAll(argv);
    return l;
  }

  static String checkName(String ifName) {
    if (ifName == null || !IFNAME.matcher(ifName).matches()) {
      throw new IllegalArgumentException("not an interface name (1-15 of [A-Za-z0-9_.@-]): \"" + ifName + "\"");
    }
    return ifName;
  }
}

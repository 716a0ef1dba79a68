package io.lbkit.examples.lbctl;

import io.lbkit.api.Inet;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.IfAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpSyncGroupSpec;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpRouter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code lbctl run FILE [--netns NAME]}: runs the file's vrrp_instance and
 * vrrp_sync_group blocks (virtual servers and checkers are not run yet), logs each
 * transition, and on SIGTERM or SIGINT stops gracefully: masters send priority 0 and
 * remove their VIPs. With {@code --netns} the sockets, addresses and link checks are
 * in that named namespace ({@code ip netns add NAME}).
 *
 * <p>Addresses are changed with ip(8) until lb-netlink's rtnetlink address manager is
 * merged; everything else is lbkit's own (raw sockets, AF_PACKET announcements).
 */
final class RunCommand implements Command {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile VrrpRouter running;

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "run FILE [--netns NAME]";
  }

  @Override
  public String summary() {
    return "run the vrrp_instance / vrrp_sync_group blocks of a keepalived.conf until SIGTERM";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    String file = null;
    String netns = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--netns") && i + 1 < args.size()) {
        netns = args.get(++i);
      } else if (file == null && !a.startsWith("-")) {
        file = a;
      } else {
        err.println("usage: lbctl " + usage());
        return 2;
      }
    }
    if (file == null) {
      err.println("usage: lbctl " + usage());
      return 2;
    }
    KeepalivedConfig config;
    try {
      config = KeepalivedConfig.parse(Path.of(file));
    } catch (NoSuchFileException e) {
      err.println("lbctl run: cannot read " + file + ": no such file");
      return 2;
    } catch (IOException e) {
      err.println("lbctl run: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    for (Diagnostic d : config.diagnostics()) {
      err.println(d.format());
    }
    if (config.hasErrors()) {
      return 1;
    }
    LoadBalancerSpec spec = config.spec();
    if (spec.vrrpInstances().isEmpty()) {
      err.println("lbctl run: " + file + " has no vrrp_instance");
      return 1;
    }
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lbkit-vrrp");
      t.setDaemon(true);
      return t;
    });
    String ns = netns;
    VrrpRouter.Builder b = VrrpRouter.builder(RawVrrpTransport.open(ns), new IpAddresses(ns),
        TimerService.system(timers))
        .listener((name, from, to, why) -> out.println(Instant.now() + " VRRP " + name + ": " + from + " -> " + to
            + " (" + why + ")"));
    if (ns != null) {
      b.linkStatus(linkUp(ns)); // sysfs shows this process's namespace, not NAME's
    }
    spec.scripts().values().forEach(b::script);
    spec.vrrpInstances().forEach(b::instance);
    for (VrrpSyncGroupSpec g : spec.syncGroups()) {
      b.syncGroup(g);
    }
    VrrpRouter router = b.build();
    Thread hook = new Thread(this::stop, "lbctl-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      router.start();
      running = router;
      out.println("lbctl run: " + spec.vrrpInstances().size() + " VRRP instance(s) from " + file
          + (ns != null ? " in network namespace " + ns : "") + "; SIGTERM stops gracefully");
      for (VrrpInstanceSpec s : spec.vrrpInstances()) {
        out.println("  " + s.name() + " on " + s.interfaceName() + " VRID " + s.vrid() + " priority " + s.priority()
            + " VRRPv" + s.version());
      }
      stopped.await();
      return 0;
    } finally {
      router.close();
      timers.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what is running us down
      }
    }
  }

  /** Graceful stop (what SIGTERM does): priority 0, VIPs removed, then {@link #run} returns. */
  void stop() {
    VrrpRouter r = running;
    if (r != null) {
      r.close();
    }
    stopped.countDown();
  }

  private static Predicate<String> linkUp(String ns) {
    return iface -> {
      try {
        String s = ip(ns, "-o", "link", "show", "dev", iface);
        return s.contains(",UP") && (s.contains("state UP") || s.contains("state UNKNOWN"));
      } catch (IOException e) {
        return false;
      }
    };
  }

  static String ip(String ns, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    if (ns != null) {
      argv.addAll(List.of("-n", ns));
    }
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", argv) + ": interrupted", e);
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": " + text.trim());
    }
    return text;
  }

  /** VIPs through ip(8) in the namespace (stand-in for the rtnetlink address manager). */
  static final class IpAddresses implements AddressManager {
    private final String ns;

    IpAddresses(String ns) {
      this.ns = ns;
    }

    @Override
    public List<IfAddress> addresses(String iface) throws IOException {
      List<IfAddress> l = new ArrayList<>();
      for (String line : ip(ns, "-o", "addr", "show", "dev", iface).split("\n")) {
        String[] f = line.trim().split("\\s+");
        for (int i = 0; i + 1 < f.length; i++) {
          if (f[i].equals("inet") || f[i].equals("inet6")) {
            l.add(IfAddress.parse(f[i + 1]));
          }
        }
      }
      return l;
    }

    @Override
    public Change add(String iface, IfAddress a) throws IOException {
      List<String> argv = new ArrayList<>(List.of("addr", "add", Inet.format(a.address()) + "/" + a.prefixLength(),
          "dev", iface));
      if (a.label() != null) {
        argv.addAll(List.of("label", a.label()));
      }
      if (a.broadcast() != null) {
        argv.addAll(List.of("broadcast", Inet.format(a.broadcast())));
      }
      argv.addAll(List.of("scope", a.scope() == IfAddress.SCOPE_HOST ? "host" : a.scope() == IfAddress.SCOPE_LINK
          ? "link" : "global"));
      if (a.noDad()) {
        argv.add("nodad");
      }
      try {
        ip(ns, argv.toArray(String[]::new));
        return Change.DONE;
      } catch (IOException e) {
        if (e.getMessage().contains("File exists")) {
          return Change.ALREADY;
        }
        throw e;
      }
    }

    @Override
    public Change remove(String iface, IfAddress a) throws IOException {
      try {
        ip(ns, "addr", "del", Inet.format(a.address()) + "/" + a.prefixLength(), "dev", iface);
        return Change.DONE;
      } catch (IOException e) {
        if (e.getMessage().contains("Cannot assign requested address")) {
          return Change.ALREADY;
        }
        throw e;
      }
    }
  }
}

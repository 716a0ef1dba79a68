package io.lbkit.cli;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.runtime.Dataplane;
import io.lbkit.runtime.LoadBalancerRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.lbkit.fleet.VipAnnouncer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lbctl run FILE [--netns NAME] [--status-file PATH] [--control PATH|none]}: the whole load balancer
 * from a keepalived.conf, as keepalived runs it: static addresses and routes, VRRP
 * instances and sync groups, the virtual servers programmed into the kernel's IPVS
 * table, and their real servers' health checks switching them in and out, all started
 * by lb-runtime's {@link LoadBalancerRuntime} (this command parses, prints and handles
 * signals). Each VRRP transition, health change and IPVS or static address change is
 * printed. SIGHUP re-reads the file and applies only the difference (one reload at a
 * time; one not done within 30 s is abandoned and never applied after a newer one, see
 * {@link Reloads}; under nohup SIGHUP stays ignored and the start-up line says so)
 * (no VIP flap for unchanged instances, no reset of unchanged servers' checks); a file
 * with errors is reported and ignored. SIGTERM/SIGINT stop gracefully: masters send
 * priority 0 and remove their VIPs; IPVS rules stay unless lvs_flush_onstop. Every
 * minute the IPVS table is re-read and corrected (unlike keepalived), so a change the
 * kernel refused after a health verdict is retried.
 *
 * <p>The control socket ({@code /run/lbkit/NAME.sock} for NAME.conf, see
 * {@link ControlSocket}) answers {@code lbctl status}; if it cannot be opened lbctl run
 * says so and runs without it. Beside it, {@code NAME.events} ({@link EventSocket}) streams
 * the events to {@code lbctl events}.
 *
 * <p>With {@code --http ADDR:PORT} ({@link HttpEndpoint}; loopback only unless
 * {@code --http-allow-remote}) it also serves {@code /metrics} (lb-micrometer's meters in a
 * Prometheus registry), {@code /status}, {@code /events} and the status page.
 *
 * <p>With {@code --netns} the VRRP sockets, addresses and IPVS table are those of the
 * named namespace; health checks leave from this process's namespace, so to check
 * real servers only reachable inside it run lbctl itself there
 * ({@code ip netns exec NAME java -jar lbctl.jar run FILE}).
 */
@Command(name = "run", sortOptions = false,
    description = {"Run a keepalived.conf: VRRP instances, IPVS virtual servers and their health checks.",
        "Prints each VRRP transition, health change and IPVS change. SIGHUP re-reads FILE and applies only the "
            + "difference (one reload at a time, each within 30 s); SIGTERM/SIGINT stop gracefully. lbctl status asks it over the control socket, lbctl events follows its events; "
            + "--http serves metrics, status, events and a status page."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:FILE has errors or nothing to run, or IPVS cannot be opened",
        "2:FILE cannot be read, or a usage error"})
final class RunCommand extends Subcommand {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  @Parameters(paramLabel = "FILE", arity = "0..1", description = "The keepalived.conf to run (or --etcd and --key).")
  String file;

  @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "%nFleet mode (one director of several, following "
      + "a configuration stored in etcd by lbctl put; at start it waits for etcd, and for the key's first put, as long "
      + "as it takes, warning every 10 s, and SIGTERM/SIGINT end that wait):%n")
  EtcdOptions etcd;

  @Option(names = "--name", paramLabel = "NAME", description = "Fleet mode: this director's name, unique in the "
      + "fleet. Default: the host name up to its first dot.")
  String directorName;

  @Option(names = "--bgp", paramLabel = "frr|gobgp|none", description = "Fleet mode: announce the VIPs this director "
      + "can serve through FRR's bgpd (vtysh, needs --asn), GoBGP's gobgpd (its gRPC API through the gobgp client), or "
      + "none. BIRD is not supported. Default: none.")
  String bgp;

  @Option(names = "--vtysh", paramLabel = "COMMAND", description = "Fleet mode with --bgp frr: the vtysh command line, "
      + "e.g. 'vtysh --vty_socket /run/frr/dir1'. Default: vtysh.")
  String vtysh = "vtysh";

  @Option(names = "--gobgp", paramLabel = "COMMAND", description = "Fleet mode with --bgp gobgp: the gobgp command "
      + "line, e.g. 'gobgp -p 50051'. Default: gobgp.")
  String gobgp;

  @Option(names = "--asn", paramLabel = "N", description = "Fleet mode with --bgp frr: bgpd's own AS number.")
  Long asn;

  @Option(names = "--lease-ttl", paramLabel = "SECONDS", description = "Fleet mode: how long a dead director stays "
      + "registered. Default: 5.")
  int leaseTtl = 5;

  @Option(names = "--netns", paramLabel = "NAME",
      description = "Run VRRP, addresses and IPVS in the network namespace NAME (/run/netns/NAME); health checks "
          + "leave from this process's namespace.")
  String netns;

  @Option(names = "--check-threads", paramLabel = "N", description = "Threads that run the network health checks "
      + "(1-64; default 1, as keepalived's one checker process). One thread makes about 10,000 HTTP checks a second "
      + "per core it gets: 100,000 real servers at delay_loop 6 s need 2.")
  int checkThreads = 1;

  @Option(names = "--dataplane", paramLabel = "ipvs|nftables|auto", converter = IpvsOptions.Dataplanes.class,
      completionCandidates = IpvsOptions.Dataplanes.class,
      description = "What forwards the virtual servers: ipvs, nftables (NAT in table inet lbkit, DR in netdev "
          + "lbkit), or auto: "
          + "IPVS when the kernel has it, else nftables. Default: auto.")
  Dataplane dataplane = Dataplane.AUTO;

  @Option(names = "--status-file", paramLabel = "PATH", description = "Also write the status as JSON to PATH on "
      + "every change.")
  Path statusFile;

  @Option(names = "--control", paramLabel = "PATH|none",
      description = "The control socket for lbctl status, or none. Default: /run/lbkit/NAME.sock for NAME.conf.")
  String control;

  @Option(names = "--http", paramLabel = "ADDR:PORT",
      description = "Serve /metrics (Prometheus), /status (JSON), /events (server-sent events) and a status page at / "
          + "on ADDR:PORT, e.g. 127.0.0.1:9100. Off by default; a loopback address unless --http-allow-remote.")
  String http;

  @Option(names = "--http-allow-remote", description = "Allow --http on a non-loopback address (the page and metrics "
      + "are then open to whoever reaches it; there is no authentication).")
  boolean httpAllowRemote;

  @Option(names = "--http-metrics-detail", description = "Every series of each real server on /metrics (health "
      + "verdict, weight configured, time since the verdict changed, packet and byte counters, check results), not "
      + "only node_exporter's weight and connections: 13 series per real server instead of 3.")
  boolean httpMetricsDetail;

  @Override
  public Integer call() throws Exception {
    if (checkThreads < 1 || checkThreads > 64) {
      throw usage("--check-threads must be within 1-64: " + checkThreads);
    }
    if (etcd != null) {
      if (file != null) {
        throw usage("FILE and --etcd exclude each other: run a file, or the configuration stored in etcd");
      }
      if (control != null || statusFile != null) {
        throw usage("--control and --status-file are for a FILE; in fleet mode use lbctl fleet status");
      }
      VipAnnouncer announcer;
      try {
        announcer = FleetRun.announcer(bgp, vtysh, gobgp, asn);
        if (leaseTtl < 1) {
          throw new IllegalArgumentException("--lease-ttl must be at least 1: " + leaseTtl);
        }
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      String me = directorName != null ? directorName : io.lbkit.api.net.Inet.hostName().split("\\.")[0];
      return new FleetRun().run(etcd, me, dataplane, netns, checkThreads, announcer,
          java.time.Duration.ofSeconds(leaseTtl),
          new RunPrinter(out(), () -> { }), out(), err());
    }
    if (file == null) {
      throw usage("Missing required parameter: 'FILE' (or --etcd and --key for fleet mode)");
    }
    if (directorName != null || bgp != null || asn != null || gobgp != null) {
      throw usage("--name, --bgp, --asn and --gobgp are for fleet mode (--etcd and --key)");
    }
    return run(out(), err());
  }

  private int run(PrintStream out, PrintStream err) throws Exception {
    LoadBalancerSpec spec = load(file, err);
    if (spec == null) {
      return lastLoadExit;
    }
    if (spec.vrrpInstances().isEmpty() && spec.virtualServices().isEmpty()) {
      err.println("lbctl run: " + file + " has no vrrp_instance and no virtual_server");
      return 1;
    }
    InetSocketAddress httpAddress = null;
    if (http != null) {
      try {
        httpAddress = Observability.parse(http);
        if (!httpAddress.getAddress().isLoopbackAddress() && !httpAllowRemote) {
          err.println("lbctl run: --http " + http + " is not a loopback address: the status page and /metrics would "
              + "be open to the network; add --http-allow-remote to mean it");
          return 2;
        }
      } catch (IllegalArgumentException e) {
        err.println("lbctl run: " + e.getMessage());
        return 2;
      }
    }
    Observability obs = new Observability(httpAddress != null, httpMetricsDetail);
    // status writes leave the VRRP timer, notify and check threads at once, coalesced (StatusFile)
    LoadBalancerRuntime[] holder = new LoadBalancerRuntime[1];
    StatusFile status = statusFile == null ? null
        : new StatusFile(statusFile, () -> holder[0].status().toJson() + "\n", err);
    LoadBalancerRuntime.Builder builder = LoadBalancerRuntime.builder().dataplane(dataplane).checkThreads(checkThreads)
        .listener(new RunPrinter(out, () -> {
          if (status != null && holder[0] != null) {
            status.changed();
          }
        })).listener(obs.hub);
    if (obs.metrics != null) {
      builder.listener(obs.metrics);
    }
    if (netns != null) {
      builder.netns(netns);
    }
    // SIGHUP is taken before anything starts (the JVM's default for it is to exit); reloads run one at a time,
    // each on its own thread with a deadline (Reloads)
    ScheduledExecutorService reloadTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lbctl-reload-timer");
      t.setDaemon(true);
      return t;
    });
    String path = file;
    Reloads reloads = new Reloads(() -> reloadFile(path, out, err), next -> {
      LoadBalancerRuntime running = holder[0];
      if (running == null) {
        err.println("lbctl run: SIGHUP while starting: not applied; send it again once started");
        return;
      }
      running.reload(next); // the listener prints the changes and has the status file rewritten
    }, TimerService.system(reloadTimer), Reloads.DEADLINE, out, err);
    boolean hangupReloads = Signals.onHangup(reloads::request);
    LoadBalancerRuntime lb;
    try {
      lb = builder.start(spec);
    } catch (IOException e) {
      err.println("lbctl run: " + e.getMessage());
      if (status != null) {
        status.close();
      }
      reloadTimer.shutdownNow();
      return 1;
    }
    holder[0] = lb;
    Thread hook = new Thread(this::stop, "lbctl-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.exitZeroOnTerminate();
    ControlSocket socket = openControl(control == null ? ControlSocket.defaultFor(file).toString() : control, lb, err);
    EventSocket events = socket == null ? null : openEvents(socket.path(), obs.hub, err);
    try {
      if (httpAddress != null) {
        try {
          out.println("lbctl run: status page and /metrics on http://" + hostPort(obs.serve(httpAddress,
              httpAllowRemote, lb).address()) + "/");
        } catch (IOException e) {
          err.println("lbctl run: --http " + http + ": " + e.getMessage() + "; running without it");
        }
      }
      out.println("lbctl run: " + spec.vrrpInstances().size() + " VRRP instance(s), " + spec.virtualServices().size()
          + " virtual server(s) from " + file + (netns != null ? " in network namespace " + netns : "")
          + (hangupReloads ? "; SIGHUP reloads, SIGTERM stops gracefully" : "; SIGHUP is ignored in this process "
          + "(inherited, e.g. from nohup), so it cannot reload: start lbctl run without nohup (e.g. with setsid or a "
          + "service manager) to reload with SIGHUP; SIGTERM stops gracefully"));
      for (VrrpInstanceSpec s : spec.vrrpInstances()) {
        out.println("  " + s.name() + " on " + s.interfaceName() + " VRID " + s.vrid() + " priority " + s.priority()
            + " VRRPv" + s.version());
      }
      if (status != null) {
        status.changed();
      }
      stopped.await();
      return 0;
    } finally {
      try {
        if (events != null) {
          events.close();
        }
        if (socket != null) {
          socket.close();
        }
        lb.close();
      } finally {
        obs.close(); // after the runtime: the page and streams see its stop
        if (status != null) {
          status.close();
        }
        reloadTimer.shutdownNow();
        closed.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is what is running us down
        }
      }
    }
  }

  private int lastLoadExit;
  /** The last read of the file, so that a SIGHUP re-reads only what changed; null before the first. */
  private volatile KeepalivedConfig lastRead;

  private LoadBalancerSpec load(String file, PrintStream err) {
    return load(file, KeepalivedConfig.Options.defaults(), err);
  }

  private LoadBalancerSpec load(String file, KeepalivedConfig.Options options, PrintStream err) {
    KeepalivedConfig config = ConfigFiles.read(name(), file, options, lastRead, err);
    if (config == null) {
      lastLoadExit = 2;
      return null;
    }
    lastRead = config;
    ConfigFiles.print(config.diagnostics(), err);
    if (config.hasErrors()) {
      lastLoadExit = 1;
      return null;
    }
    return config.spec();
  }

  /** A reload's reading of the file: null (and why printed) if it cannot be applied. */
  private LoadBalancerSpec reloadFile(String file, PrintStream out, PrintStream err) {
    out.println(Instant.now() + " SIGHUP: reloading " + file);
    LoadBalancerSpec next = load(file, KeepalivedConfig.Options.defaults().withTimeout(Reloads.DEADLINE), err);
    if (next == null) {
      err.println("lbctl run: " + file + " not applied; still running the previous configuration");
    }
    return next;
  }

  private static ControlSocket openControl(String path, LoadBalancerRuntime lb, PrintStream err) {
    if (path.equals("none")) {
      return null;
    }
    try {
      return ControlSocket.open(Path.of(path), lb::status);
    } catch (IOException | RuntimeException e) {
      err.println("lbctl run: no control socket (lbctl status will not answer): " + e.getMessage());
      return null;
    }
  }

  private static EventSocket openEvents(Path control, EventHub hub, PrintStream err) {
    Path path = EventSocket.besides(control);
    try {
      return EventSocket.open(path, hub);
    } catch (IOException | RuntimeException e) {
      err.println("lbctl run: no event socket (lbctl events will not answer): " + e.getMessage());
      return null;
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  /**
   * Graceful stop (what SIGTERM does): {@link #run} closes everything and returns. Called
   * from the shutdown hook, it waits (10 s at most) for that close, since the JVM halts
   * as soon as its hooks return.
   */
  void stop() {
    stopped.countDown();
    try {
      closed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}

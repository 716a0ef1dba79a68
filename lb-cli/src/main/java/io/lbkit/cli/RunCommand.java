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
import picocli.CommandLine.Model.CommandSpec;

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
final class RunCommand extends Subcommand {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  // the options, as RunSpec defines them (the model, help texts and bindings are there)
  String file;
  /** Fleet mode's --etcd and --key: null unless given. */
  EtcdOptions etcd;
  String directorName;
  String bgp;
  String vtysh = "vtysh";
  String gobgp;
  Long asn;
  int leaseTtl = 5;
  String netns;
  int checkThreads = 1;
  Dataplane dataplane = Dataplane.AUTO;
  Path statusFile;
  String control;
  String http;
  boolean httpAllowRemote;
  boolean httpMetricsDetail;

  /** {@code run}'s picocli model, bound to a new command (see {@link RunSpec}). */
  static CommandSpec spec() {
    return RunSpec.of(new RunCommand());
  }

  /** What the annotated subcommands get injected ({@link RunSpec} sets the model): lbctl, the parent's user object. */
  private void bind() {
    lbctl = (Lbctl) spec.parent().userObject();
  }

  @Override
  public Integer call() throws Exception {
    bind();
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

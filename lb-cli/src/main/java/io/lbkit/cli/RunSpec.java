package io.lbkit.cli;

import io.lbkit.runtime.Dataplane;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code lbctl run}'s command, defined with picocli's programmatic API ({@link CommandSpec}, {@link OptionSpec}): the
 * one definition of {@code run}, used as a subcommand of lbctl's annotated model and by {@link Lbctl}'s direct
 * dispatch when {@code run} is the first argument. Not annotations: picocli reads an annotated command through one
 * {@link java.lang.reflect.Proxy} class per annotation type (~8 for {@code run}, 3-10 ms each at start), and JDK 17's
 * class-data sharing cannot archive proxies; a start of {@code lbctl run} builds none. The model is the one the
 * annotations gave: the same options in the same order, the same help, completion, messages and exit codes
 * (RunSpecTest compares them with lbctl's other path and with the text they had).
 */
final class RunSpec {
  private RunSpec() {}

  /** {@code run}'s model, bound to {@code c}'s fields; {@code c} is its user object (its {@code call} runs). */
  static CommandSpec of(RunCommand c) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(c).name("run");
    c.spec = spec;
    spec.usageMessage().sortOptions(false)
        .description("Run a keepalived.conf: VRRP instances, IPVS virtual servers and their health checks.",
            "Prints each VRRP transition, health change and IPVS change. SIGHUP re-reads FILE and applies only the "
                + "difference (one reload at a time, each within 30 s); SIGTERM/SIGINT stop gracefully. lbctl status "
                + "asks it over the control socket, lbctl events follows its events; --http serves metrics, status, "
                + "events and a status page.")
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(exitCodes());
    spec.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("0..1").type(String.class)
        .description("The keepalived.conf to run (or --etcd and --key).").initialValue(c.file)
        .setter(new Field(c, "file")).getter(new Field(c, "file")).build());
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
        .description("Show this help message and exit.").initialValue(false).build());
    // the fleet group before --name: the order of the options the annotations gave (completion lists them so)
    spec.addArgGroup(ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
        .heading("%nFleet mode (one director of several, following a configuration stored in etcd by lbctl put; at "
            + "start it waits for etcd, and for the key's first put, as long as it takes, warning every 10 s, and "
            + "SIGTERM/SIGINT end that wait):%n")
        .addArg(builder(c, "--etcd", "URL[,URL...]", List.class, null, "etcd v3 endpoints, http://HOST:PORT "
            + "(comma-separated).").auxiliaryTypes(String.class).splitRegex(",").required(true).build())
        .addArg(builder(c, "--key", "KEY", String.class, null, "The etcd key holding the keepalived.conf text; "
            + "directors register under KEY/directors/.").required(true).build())
        .build());
    spec.addOption(option(c, "--name", "NAME", String.class, c.directorName, "Fleet mode: this director's name, unique "
        + "in the fleet. Default: the host name up to its first dot."));
    spec.addOption(option(c, "--bgp", "frr|gobgp|none", String.class, c.bgp, "Fleet mode: announce the VIPs this "
        + "director can serve through FRR's bgpd (vtysh, needs --asn), GoBGP's gobgpd (its gRPC API through the gobgp "
        + "client), or none. BIRD is not supported. Default: none."));
    spec.addOption(option(c, "--vtysh", "COMMAND", String.class, c.vtysh, "Fleet mode with --bgp frr: the vtysh "
        + "command line, e.g. 'vtysh --vty_socket /run/frr/dir1'. Default: vtysh."));
    spec.addOption(option(c, "--gobgp", "COMMAND", String.class, c.gobgp, "Fleet mode with --bgp gobgp: the gobgp "
        + "command line, e.g. 'gobgp -p 50051'. Default: gobgp."));
    spec.addOption(option(c, "--asn", "N", Long.class, c.asn, "Fleet mode with --bgp frr: bgpd's own AS number."));
    spec.addOption(option(c, "--lease-ttl", "SECONDS", int.class, c.leaseTtl, "Fleet mode: how long a dead director "
        + "stays registered. Default: 5."));
    spec.addOption(option(c, "--netns", "NAME", String.class, c.netns, "Run VRRP, addresses and IPVS in the network "
        + "namespace NAME (/run/netns/NAME); health checks leave from this process's namespace."));
    spec.addOption(option(c, "--check-threads", "N", int.class, c.checkThreads, "Threads that run the network health "
        + "checks (1-64; default 1, as keepalived's one checker process). One thread makes about 10,000 HTTP checks a "
        + "second per core it gets: 100,000 real servers at delay_loop 6 s need 2."));
    IpvsOptions.Dataplanes dataplanes = new IpvsOptions.Dataplanes();
    spec.addOption(builder(c, "--dataplane", "ipvs|nftables|auto", Dataplane.class, c.dataplane, "What forwards the "
        + "virtual servers: ipvs, nftables (NAT in table inet lbkit, DR in netdev lbkit), or auto: IPVS when the "
        + "kernel has it, else nftables. Default: auto.").converters(dataplanes).completionCandidates(dataplanes)
        .build());
    spec.addOption(option(c, "--status-file", "PATH", Path.class, c.statusFile, "Also write the status as JSON to "
        + "PATH on every change."));
    spec.addOption(option(c, "--control", "PATH|none", String.class, c.control, "The control socket for lbctl status, "
        + "or none. Default: /run/lbkit/NAME.sock for NAME.conf."));
    spec.addOption(option(c, "--http", "ADDR:PORT", String.class, c.http, "Serve /metrics (Prometheus), /status "
        + "(JSON), /events (server-sent events) and a status page at / on ADDR:PORT, e.g. 127.0.0.1:9100. Off by "
        + "default; a loopback address unless --http-allow-remote."));
    spec.addOption(option(c, "--http-allow-remote", null, boolean.class, c.httpAllowRemote, "Allow --http on a "
        + "non-loopback address (the page and metrics are then open to whoever reaches it; there is no "
        + "authentication)."));
    spec.addOption(option(c, "--http-metrics-detail", null, boolean.class, c.httpMetricsDetail, "Every series of "
        + "each real server on /metrics (health verdict, weight configured, time since the verdict changed, packet "
        + "and byte counters, check results), not only node_exporter's weight and connections: 13 series per real "
        + "server instead of 3."));
    return spec;
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("0", "stopped by SIGTERM/SIGINT");
    m.put("1", "FILE has errors or nothing to run, or IPVS cannot be opened");
    m.put("2", "FILE cannot be read, or a usage error");
    return m;
  }

  private static OptionSpec option(RunCommand c, String name, String label, Class<?> type, Object initial,
      String description) {
    return builder(c, name, label, type, initial, description).build();
  }

  private static OptionSpec.Builder builder(RunCommand c, String name, String label, Class<?> type, Object initial,
      String description) {
    Field f = new Field(c, name);
    OptionSpec.Builder b = OptionSpec.builder(name).type(type).description(description).initialValue(initial)
        .getter(f).setter(f);
    return label == null ? b : b.paramLabel(label);
  }

  /**
   * One of {@link RunCommand}'s fields as picocli reads and sets it, by the option's name (a class, not lambdas: a
   * lambda implementing an old, class-file 49, picocli interface cannot be archived, see {@link Lbctl}).
   */
  static final class Field implements IGetter, ISetter {
    private final RunCommand c;
    private final String name;

    Field(RunCommand c, String name) {
      this.c = c;
      this.name = name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      Object v;
      switch (name) {
        case "file": v = c.file; break;
        case "--name": v = c.directorName; break;
        case "--bgp": v = c.bgp; break;
        case "--vtysh": v = c.vtysh; break;
        case "--gobgp": v = c.gobgp; break;
        case "--asn": v = c.asn; break;
        case "--lease-ttl": v = c.leaseTtl; break;
        case "--netns": v = c.netns; break;
        case "--check-threads": v = c.checkThreads; break;
        case "--dataplane": v = c.dataplane; break;
        case "--status-file": v = c.statusFile; break;
        case "--control": v = c.control; break;
        case "--http": v = c.http; break;
        case "--http-allow-remote": v = c.httpAllowRemote; break;
        case "--http-metrics-detail": v = c.httpMetricsDetail; break;
        case "--etcd": v = c.etcd == null ? null : c.etcd.endpoints; break;
        case "--key": v = c.etcd == null ? null : c.etcd.key; break;
        default: throw new IllegalStateException(name);
      }
      return (T) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      T old = get();
      switch (name) {
        case "file": c.file = (String) value; break;
        case "--name": c.directorName = (String) value; break;
        case "--bgp": c.bgp = (String) value; break;
        case "--vtysh": c.vtysh = (String) value; break;
        case "--gobgp": c.gobgp = (String) value; break;
        case "--asn": c.asn = (Long) value; break;
        case "--lease-ttl": c.leaseTtl = (Integer) value; break;
        case "--netns": c.netns = (String) value; break;
        case "--check-threads": c.checkThreads = (Integer) value; break;
        case "--dataplane": c.dataplane = (Dataplane) value; break;
        case "--status-file": c.statusFile = (Path) value; break;
        case "--control": c.control = (String) value; break;
        case "--http": c.http = (String) value; break;
        case "--http-allow-remote": c.httpAllowRemote = (Boolean) value; break;
        case "--http-metrics-detail": c.httpMetricsDetail = (Boolean) value; break;
        // the fleet group's two: set only when given (the group is all or nothing), so etcd != null means fleet mode
        case "--etcd": if (value != null) { etcd().endpoints = (List<String>) value; } break;
        case "--key": if (value != null) { etcd().key = (String) value; } break;
        default: throw new IllegalStateException(name);
      }
      return old;
    }

    private EtcdOptions etcd() {
      if (c.etcd == null) {
        c.etcd = new EtcdOptions();
      }
      return c.etcd;
    }
  }
}

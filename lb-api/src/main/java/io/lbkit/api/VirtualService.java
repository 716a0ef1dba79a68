package io.lbkit.api;

import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A virtual service: what clients connect to, how IPVS schedules them over real
 * servers, and how health results change that. Immutable; every fluent call returns
 * a new value and checks its argument at once.
 *
 * <pre>{@code
 * VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr()
 *     .add(RealServer.of("192.168.0.61", 80).inhibitOnFailure())
 *     .add(RealServer.of("192.168.0.62", 80).inhibitOnFailure());
 * }</pre>
 *
 * <p>Defaults are keepalived's: scheduler wlc, forwarding NAT, quorum 1, hysteresis
 * 0, delay_loop 60 s.
 */
public final class VirtualService {
  /** Every field; equality is the record's. */
  private record Fields(ServiceKey key, Scheduler scheduler, Set<SchedulerFlag> schedulerFlags, Forwarding forwarding,
      Persistence persistence, boolean onePacket, List<RealServer> realServers, RealServer sorryServer,
      boolean sorryServerInhibit, int quorum, int hysteresis, Duration delayLoop, boolean alpha, boolean omega,
      String quorumUp, String quorumDown, boolean haSuspend) {

    Copy toBuilder() {
      return new Copy(this);
    }
  }

  /** A mutable copy of the fields, changed by one fluent call and built into a new value (jimfs's toBuilder()). */
  private static final class Copy {
    final ServiceKey key;
    Scheduler scheduler;
    Set<SchedulerFlag> schedulerFlags;
    Forwarding forwarding;
    Persistence persistence;
    boolean onePacket;
    List<RealServer> realServers;
    RealServer sorryServer;
    boolean sorryServerInhibit;
    int quorum;
    int hysteresis;
    Duration delayLoop;
    boolean alpha;
    boolean omega;
    String quorumUp;
    String quorumDown;
    boolean haSuspend;

    Copy(Fields f) {
      key = f.key();
      scheduler = f.scheduler();
      schedulerFlags = f.schedulerFlags();
      forwarding = f.forwarding();
      persistence = f.persistence();
      onePacket = f.onePacket();
      realServers = f.realServers();
      sorryServer = f.sorryServer();
      sorryServerInhibit = f.sorryServerInhibit();
      quorum = f.quorum();
      hysteresis = f.hysteresis();
      delayLoop = f.delayLoop();
      alpha = f.alpha();
      omega = f.omega();
      quorumUp = f.quorumUp();
      quorumDown = f.quorumDown();
      haSuspend = f.haSuspend();
    }

    VirtualService build() {
      return new VirtualService(new Fields(key, scheduler, schedulerFlags, forwarding, persistence, onePacket,
          realServers, sorryServer, sorryServerInhibit, quorum, hysteresis, delayLoop, alpha, omega, quorumUp,
          quorumDown, haSuspend));
    }
  }

  private final Fields fields;

  private VirtualService(Fields f) {
    this.fields = f;
  }

  private static VirtualService fresh(ServiceKey key) {
    return new VirtualService(new Fields(key, Scheduler.WLC, Set.of(), Forwarding.NAT, null, false, List.of(), null,
        false, 1, 0, Duration.ofSeconds(60), false, false, null, null, false));
  }

  /** This value with one change applied to a copy of its fields. */
  private VirtualService with(Consumer<Copy> change) {
    Copy c = fields.toBuilder();
    change.accept(c);
    return c.build();
  }

  private static int port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("virtual service port out of range 1-65535: " + port
          + " (for an all-ports service use allPorts(...))");
    }
    return port;
  }

  /** A TCP service on this VIP and port (1-65535). */
  public static VirtualService tcp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.TCP, vip, port(port)));
  }

  /** A TCP service on this VIP literal (no DNS) and port. */
  public static VirtualService tcp(String vip, int port) {
    return tcp(Inet.parse(vip), port);
  }

  /** A UDP service on this VIP and port. */
  public static VirtualService udp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.UDP, vip, port(port)));
  }

  /** A UDP service on this VIP literal and port. */
  public static VirtualService udp(String vip, int port) {
    return udp(Inet.parse(vip), port);
  }

  /** An SCTP service on this VIP and port. */
  public static VirtualService sctp(InetAddress vip, int port) {
    return fresh(ServiceKey.of(Protocol.SCTP, vip, port(port)));
  }

  /** An SCTP service on this VIP literal and port. */
  public static VirtualService sctp(String vip, int port) {
    return sctp(Inet.parse(vip), port);
  }

  /** An IPv4 firewall-mark service. */
  public static VirtualService fwmark(int mark) {
    return fresh(ServiceKey.fwmark(mark, Family.INET));
  }

  /** A firewall-mark service of this family. */
  public static VirtualService fwmark(int mark, Family family) {
    return fresh(ServiceKey.fwmark(mark, family));
  }

  /**
   * A service on every port of a VIP (port 0), which IPVS allows only with
   * persistence: a client keeps its real server across all ports.
   */
  public static VirtualService allPorts(Protocol protocol, InetAddress vip, Persistence persistence) {
    return fresh(ServiceKey.of(protocol, vip, 0)).persistent(persistence);
  }

  /** A service with this key and keepalived's defaults. */
  public static VirtualService of(ServiceKey key) {
    VirtualService v = fresh(key);
    if (key instanceof ServiceKey.Inet i && i.port() == 0) {
      return v.persistent(Persistence.of(Persistence.DEFAULT_TIMEOUT));
    }
    return v;
  }

  /**
   * With a command run when the live weight rises to the quorum (keepalived's
   * {@code quorum_up}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public VirtualService quorumUpCommand(String command) {
    String c = command(command, "quorum_up");
    return with(x -> x.quorumUp = c);
  }

  /**
   * With a command run when the live weight falls below the quorum (keepalived's
   * {@code quorum_down}); null for none.
   *
   * @throws IllegalArgumentException if the command is blank
   */
  public VirtualService quorumDownCommand(String command) {
    String c = command(command, "quorum_down");
    return with(x -> x.quorumDown = c);
  }

  /**
   * keepalived's {@code ha_suspend}: health checks of this service run only while this
   * director holds the service's VIP.
   */
  public VirtualService haSuspend(boolean suspend) {
    return with(x -> x.haSuspend = suspend);
  }

  private static String command(String c, String what) {
    if (c != null && c.isBlank()) {
      throw new IllegalArgumentException(what + " command is blank: '" + c + "'");
    }
    return c;
  }

  // ---- scheduler ----

  /** With this scheduler; flags that do not apply to it are dropped. */
  public VirtualService scheduler(Scheduler s) {
    Objects.requireNonNull(s, "scheduler");
    Set<SchedulerFlag> kept = EnumSet.noneOf(SchedulerFlag.class);
    for (SchedulerFlag f : fields.schedulerFlags()) {
      if (f.appliesTo(s)) {
        kept.add(f);
      }
    }
    return with(x -> {
      x.scheduler = s;
      x.schedulerFlags = Collections.unmodifiableSet(kept);
    });
  }

  /** Round robin. */
  public VirtualService rr() { return scheduler(Scheduler.RR); }
  /** Weighted round robin. */
  public VirtualService wrr() { return scheduler(Scheduler.WRR); }
  /** Least connections. */
  public VirtualService lc() { return scheduler(Scheduler.LC); }
  /** Weighted least connections. */
  public VirtualService wlc() { return scheduler(Scheduler.WLC); }
  /** Locality-based least connections. */
  public VirtualService lblc() { return scheduler(Scheduler.LBLC); }
  /** Locality-based least connections with replication. */
  public VirtualService lblcr() { return scheduler(Scheduler.LBLCR); }
  /** Destination hashing. */
  public VirtualService dh() { return scheduler(Scheduler.DH); }
  /** Source hashing. */
  public VirtualService sh() { return scheduler(Scheduler.SH); }
  /** Shortest expected delay. */
  public VirtualService sed() { return scheduler(Scheduler.SED); }
  /** Never queue. */
  public VirtualService nq() { return scheduler(Scheduler.NQ); }
  /** Weighted failover. */
  public VirtualService fo() { return scheduler(Scheduler.FO); }
  /** Weighted overflow. */
  public VirtualService ovf() { return scheduler(Scheduler.OVF); }
  /** Maglev hashing. */
  public VirtualService mh() { return scheduler(Scheduler.MH); }
  /** Weighted random twos choice. */
  public VirtualService twos() { return scheduler(Scheduler.TWOS); }

  /**
   * With these scheduler flags added.
   *
   * @throws IllegalArgumentException if a flag does not apply to the scheduler
   *     ({@code sh-port} on rr, say)
   */
  public VirtualService flags(SchedulerFlag... flags) {
    Set<SchedulerFlag> s = EnumSet.noneOf(SchedulerFlag.class);
    s.addAll(fields.schedulerFlags());
    for (SchedulerFlag f : flags) {
      if (!f.appliesTo(fields.scheduler())) {
        throw new IllegalArgumentException("scheduler flag " + f.label() + " does not apply to scheduler "
            + fields.scheduler());
      }
      s.add(f);
    }
    return with(x -> x.schedulerFlags = Collections.unmodifiableSet(s));
  }

  // ---- forwarding ----

  /** Default forwarding for real servers that do not set their own. */
  public VirtualService forwarding(Forwarding f) {
    Objects.requireNonNull(f, "forwarding");
    for (RealServer r : fields.realServers()) {
      checkFamily(r, f);
    }
    return with(x -> x.forwarding = f);
  }

  /** Direct routing (LVS-DR). */
  public VirtualService dr() { return forwarding(Forwarding.DR); }
  /** NAT (masquerading). */
  public VirtualService nat() { return forwarding(Forwarding.NAT); }
  /** IP-in-IP tunnelling (LVS-TUN). */
  public VirtualService tun() { return forwarding(Forwarding.TUN); }
  /** Local node. */
  public VirtualService local() { return forwarding(Forwarding.LOCAL); }

  // ---- persistence and flags ----

  /** With persistence. */
  public VirtualService persistent(Persistence p) {
    Objects.requireNonNull(p, "persistence");
    return with(x -> x.persistence = p);
  }

  /** With per-client persistence for this many seconds. */
  public VirtualService persistent(int timeoutSeconds) {
    return persistent(Persistence.of(timeoutSeconds));
  }

  /** Without persistence. @throws IllegalStateException for an all-ports service, which needs it */
  public VirtualService notPersistent() {
    if (fields.key() instanceof ServiceKey.Inet i && i.port() == 0) {
      throw new IllegalStateException("an all-ports (port 0) service must be persistent: " + fields.key());
    }
    return with(x -> x.persistence = null);
  }

  /**
   * One-packet scheduling: every UDP datagram is scheduled on its own.
   *
   * @throws IllegalArgumentException unless the service is UDP or a fwmark service
   */
  public VirtualService onePacket() {
    if (fields.key() instanceof ServiceKey.Inet i && i.protocol() != Protocol.UDP) {
      throw new IllegalArgumentException("one-packet scheduling is only for UDP services, not " + fields.key());
    }
    return with(x -> x.onePacket = true);
  }

  // ---- real servers ----

  /**
   * With one more real server.
   *
   * @throws IllegalArgumentException if a real server with the same address and port
   *     is already there, or its family cannot be forwarded to from this service
   */
  public VirtualService add(RealServer real) {
    Objects.requireNonNull(real, "real server");
    for (RealServer r : fields.realServers()) {
      if (r.key().equals(real.key())) {
        throw new IllegalArgumentException("real server " + real.key() + " is already in " + fields.key());
      }
    }
    checkFamily(real, fields.forwarding());
    List<RealServer> l = new ArrayList<>(fields.realServers().size() + 1);
    l.addAll(fields.realServers());
    l.add(real);
    return with(x -> x.realServers = Collections.unmodifiableList(l));
  }

  /** With these real servers added, in order. */
  public VirtualService add(RealServer... reals) {
    VirtualService v = this;
    for (RealServer r : reals) {
      v = v.add(r);
    }
    return v;
  }

  /** With the real server of this key replaced (same key) or added. */
  public VirtualService put(RealServer real) {
    List<RealServer> l = new ArrayList<>(fields.realServers());
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).key().equals(real.key())) {
        checkFamily(real, fields.forwarding());
        l.set(i, real);
        return with(x -> x.realServers = Collections.unmodifiableList(l));
      }
    }
    return add(real);
  }

  /** Without the real server of this key (no-op if absent). */
  public VirtualService remove(RealServerKey real) {
    List<RealServer> l = new ArrayList<>(fields.realServers());
    l.removeIf(r -> r.key().equals(real));
    return with(x -> x.realServers = Collections.unmodifiableList(l));
  }

  /** With a sorry server, used while the quorum is lost. */
  public VirtualService sorryServer(RealServer sorry) {
    Objects.requireNonNull(sorry, "sorry server");
    checkFamily(sorry, fields.forwarding());
    return with(x -> x.sorryServer = sorry);
  }

  /** Keep the sorry server in IPVS at weight 0 while unused, instead of removing it. */
  public VirtualService sorryServerInhibit(boolean inhibit) {
    return with(x -> x.sorryServerInhibit = inhibit);
  }

  /**
   * Quorum: the least total weight of live real servers for the service to be up;
   * hysteresis: how far past it the sum must move before the state changes.
   *
   * @throws IllegalArgumentException if quorum &lt; 1, hysteresis &lt; 0 or hysteresis &ge; quorum
   */
  public VirtualService quorum(int q, int h) {
    if (q < 1) {
      throw new IllegalArgumentException("quorum must be at least 1: " + q);
    }
    if (h < 0 || h >= q) {
      throw new IllegalArgumentException("hysteresis must be 0 to quorum-1 (" + (q - 1) + "): " + h);
    }
    return with(x -> {
      x.quorum = q;
      x.hysteresis = h;
    });
  }

  /** Interval between health checks of each real server (keepalived's delay_loop). */
  public VirtualService delayLoop(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("delay_loop must be positive: " + d);
    }
    return with(x -> x.delayLoop = d);
  }

  /** keepalived's alpha: real servers start down until their first check passes. */
  public VirtualService alpha(boolean a) {
    return with(x -> x.alpha = a);
  }

  /** keepalived's omega: run quorum-down actions and clear the service on stop. */
  public VirtualService omega(boolean o) {
    return with(x -> x.omega = o);
  }

  private void checkFamily(RealServer r, Forwarding serviceDefault) {
    Forwarding f = r.forwarding().orElse(serviceDefault);
    if (Family.of(r.address()) != fields.key().family() && f.method() != Forwarding.Method.TUNNEL) {
      throw new IllegalArgumentException("real server " + r.key() + " is " + Family.of(r.address())
          + " but " + fields.key() + " is " + fields.key().family() + ": mixed families need tunnel forwarding, not "
          + f.method());
    }
  }

  // ---- accessors ----

  /** The kernel identity. */
  public ServiceKey key() { return fields.key(); }
  /** The scheduler. */
  public Scheduler scheduler() { return fields.scheduler(); }
  /** Scheduler flags. */
  public Set<SchedulerFlag> schedulerFlags() { return fields.schedulerFlags(); }
  /** Default forwarding of real servers. */
  public Forwarding forwarding() { return fields.forwarding(); }
  /** Persistence, if any. */
  public Optional<Persistence> persistence() { return Optional.ofNullable(fields.persistence()); }
  /** One-packet scheduling. */
  public boolean isOnePacket() { return fields.onePacket(); }
  /** Real servers in the order they were added. */
  public List<RealServer> realServers() { return fields.realServers(); }
  /** Sorry server, if any. */
  public Optional<RealServer> sorryServer() { return Optional.ofNullable(fields.sorryServer()); }
  /** Whether the sorry server stays at weight 0 while unused. */
  public boolean isSorryServerInhibit() { return fields.sorryServerInhibit(); }
  /** Quorum (least live weight). */
  public int quorum() { return fields.quorum(); }
  /** Hysteresis around the quorum. */
  public int hysteresis() { return fields.hysteresis(); }
  /** Health check interval. */
  public Duration delayLoop() { return fields.delayLoop(); }
  /** keepalived's alpha. */
  public boolean isAlpha() { return fields.alpha(); }
  /** keepalived's omega. */
  public boolean isOmega() { return fields.omega(); }
  /** The quorum_up command, if any. */
  public Optional<String> quorumUpCommand() { return Optional.ofNullable(fields.quorumUp()); }
  /** The quorum_down command, if any. */
  public Optional<String> quorumDownCommand() { return Optional.ofNullable(fields.quorumDown()); }
  /** keepalived's ha_suspend. */
  public boolean isHaSuspend() { return fields.haSuspend(); }

  /** The forwarding a real server gets: its own or the service's. */
  public Forwarding forwardingOf(RealServer r) {
    return r.forwarding().orElse(fields.forwarding());
  }

  /** The real server with this key, if present. */
  public Optional<RealServer> realServer(RealServerKey k) {
    for (RealServer r : fields.realServers()) {
      if (r.key().equals(k)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The kernel-level service this describes. */
  public IpvsService toIpvsService() {
    return new IpvsService(fields.key(), fields.scheduler(), fields.schedulerFlags(), fields.persistence(),
        fields.onePacket());
  }

  /** Equal when every setting is. */
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof VirtualService v && fields.equals(v.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    Persistence p = fields.persistence();
    RealServer sorry = fields.sorryServer();
    return "VirtualService[" + fields.key() + " " + fields.scheduler() + " " + fields.forwarding().method()
        + (p != null ? " persistent " + p.timeoutSeconds() : "")
        + " reals=" + fields.realServers().size() + (sorry != null ? " sorry=" + sorry.key() : "") + "]";
  }
}

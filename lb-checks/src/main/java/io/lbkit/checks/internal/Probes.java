package io.lbkit.checks.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.api.check.CheckTarget;
import io.lbkit.api.check.DnsCheck;
import io.lbkit.api.check.FileCheck;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.check.MiscCheck;
import io.lbkit.api.check.PingCheck;
import io.lbkit.api.check.SmtpCheck;
import io.lbkit.api.check.TcpCheck;
import io.lbkit.api.check.UdpCheck;
import io.lbkit.api.net.Inet;
import io.lbkit.checks.CheckResult;
import io.lbkit.checks.Checker;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** Binds a {@link CheckSpec} to its target: the built-in checkers, and plug-ins by type. */
public final class Probes {
  private final NioEngine engine;
  private final BlockingRunner blocking;
  private final Map<String, Checker> custom;

  /** Built-ins on {@code engine} and {@code blocking}; {@code custom} by type. */
  public Probes(NioEngine engine, BlockingRunner blocking, Map<String, Checker> custom) {
    this.engine = engine;
    this.blocking = blocking;
    this.custom = Map.copyOf(custom);
  }

  /** The probe for {@code spec} against {@code real} (configured weight {@code weight}); throws on a bad spec. */
  public Probe bind(CheckSpec spec, RealServerKey real, int weight) {
    long timeout = spec.timing().connectTimeout().toNanos();
    CheckTarget ct = spec.target();
    NetworkInterface nif = ct == null || ct.bindInterface() == null ? null : bindInterface(spec, real, ct);
    if (ct != null && ct.fwmark() != 0) {
      CheckScheduler.LOG.warn("{} on {}: fwmark {} is not supported by lb-checks (SO_MARK needs native code) and is "
          + "ignored", spec.type(), real, ct.fwmark());
    }
    InetSocketAddress bindAddr = scoped(bindAddress(spec.target()), nif);
    if (spec instanceof TcpCheck) {
      InetSocketAddress to = scoped(target(spec, real, 0), nif);
      Consumer<Consumer<CheckResult>> start = done -> new StreamSession(engine, to, bindAddr, null, null, timeout, done)
          .start();
      return done -> onLoop(start, done);
    }
    if (spec instanceof HttpCheck h) {
      InetSocketAddress to = scoped(target(spec, real, h.tls() ? 443 : 80), nif);
      SSLContext ctx = !h.tls() ? null : h.verifyCaFile() == null ? Tls.trustAll() : Tls.verifying(Path.of(h.verifyCaFile()));
      HttpDialog.Plan[] plans = new HttpDialog.Plan[h.urls().size()];
      for (int i = 0; i < plans.length; i++) {
        HttpCheck.Url url = h.urls().get(i);
        String host = url.virtualHost() != null ? url.virtualHost() : h.virtualHost() != null ? h.virtualHost()
            : hostPort(to);
        plans[i] = new HttpDialog.Plan(url, host, h.httpVersion().equals("1.1") ? "1.1" : "1.0");
      }
      Consumer<Consumer<CheckResult>> start = done -> http(h, plans, 0, to, bindAddr, ctx, timeout, done);
      return done -> onLoop(start, done);
    }
    if (spec instanceof SmtpCheck s) {
      InetSocketAddress to = scoped(target(spec, real, 25), nif);
      String helo = s.heloName() != null ? s.heloName() : localHostName();
      Consumer<Consumer<CheckResult>> start = done -> new StreamSession(engine, to, bindAddr, null,
          new SmtpDialog(helo), timeout, done).start();
      return done -> onLoop(start, done);
    }
    if (spec instanceof DnsCheck d) {
      InetSocketAddress to = scoped(target(spec, real, 53), nif);
      int type = DnsCodec.type(d.queryType());
      String name = d.name() == null ? "." : d.name();
      return done -> onLoop(() -> {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        new DatagramSession(engine, to, bindAddr, DnsCodec.query(id, name, type), b -> DnsCodec.verdict(b, id), null,
            timeout, done).start();
      });
    }
    if (spec instanceof UdpCheck u) {
      InetSocketAddress to = scoped(target(spec, real, 0), nif);
      HexPattern pattern = u.replyPattern() == null ? null : HexPattern.parse(u.replyPattern());
      byte[] payload = u.payload();
      CheckResult silence = u.requireReply() ? null
          : CheckResult.up("no ICMP error within " + timeout / 1_000_000 + " ms");
      return done -> onLoop(() -> new DatagramSession(engine, to, bindAddr, payload, b -> pattern == null
          || pattern.matches(b) ? CheckResult.up("reply of " + b.remaining() + " bytes")
          : CheckResult.down("reply does not match " + u.replyPattern()), silence, timeout, done).start());
    }
    if (spec instanceof PingCheck) {
      InetAddress to = scoped(target(spec, real, 0), nif).getAddress();
      Duration t = spec.timing().connectTimeout();
      return done -> blocking.ping(to, t, done);
    }
    if (spec instanceof MiscCheck m) {
      return done -> blocking.script(m.command(), m.user(), m.timeout(), m.dynamic(), done);
    }
    if (spec instanceof FileCheck f) {
      Path p = Path.of(f.path());
      return done -> blocking.file(p, f.weight(), weight, done);
    }
    Checker c = custom.get(spec.type());
    if (c == null) {
      throw new IllegalArgumentException("no checker for check type \"" + spec.type() + "\" (custom checkers: "
          + custom.keySet() + ")");
    }
    InetSocketAddress to = scoped(target(spec, real, 0), nif);
    return done -> plugin(c, spec, to, spec.timing().connectTimeout(), done);
  }

  private void plugin(Checker c, CheckSpec spec, InetSocketAddress to, Duration timeout, Consumer<CheckResult> done) {
    AtomicBoolean reported = new AtomicBoolean();
    Consumer<CheckResult> once = r -> {
      if (reported.compareAndSet(false, true)) {
        done.accept(r);
      }
    };
    // the checker runs on the caller's thread (it must not block): one that answers at once
    // answers on the scheduler's thread, which keeps a ManualClock-driven test single-threaded
    try {
      c.check(spec, to, timeout).whenComplete((r, e) -> once.accept(e != null
          ? CheckResult.down(c.type() + " failed: " + e) : r != null ? r : CheckResult.down(c.type() + " gave no result")));
    } catch (RuntimeException e) {
      once.accept(CheckResult.down(c.type() + " failed: " + e));
    }
    if (!reported.get()) {
      onLoop(() -> {
        if (!reported.get()) {
          engine.deadline(timeout.toNanos(), () -> once.accept(CheckResult.down("timeout after " + timeout.toMillis()
              + " ms (" + c.type() + ")")));
        }
      });
    }
  }

  private void http(HttpCheck h, HttpDialog.Plan[] plans, int i, InetSocketAddress to, InetSocketAddress bind,
      SSLContext ctx, long timeout, Consumer<CheckResult> done) {
    String sni = h.sni();
    HttpDialog dialog = new HttpDialog(plans[i]);
    Consumer<CheckResult> next = i + 1 == plans.length ? done : r -> {
      if (!r.up()) {
        done.accept(r);
      } else {
        http(h, plans, i + 1, to, bind, ctx, timeout, done);
      }
    };
    new StreamSession(engine, to, bind, ctx == null ? null : Tls.engine(ctx, to, sni), dialog, timeout, next).start();
  }

  /** {@code 127.0.0.1:8080} or {@code [::1]:8080}: keepalived's default Host header. */
  static String hostPort(InetSocketAddress a) {
    String s = Inet.format(a.getAddress());
    return (a.getAddress() instanceof Inet6Address ? "[" + s + "]" : s) + ":" + a.getPort();
  }

  private void onLoop(Runnable r) {
    if (engine.inLoop()) {
      r.run();
    } else {
      engine.execute(r);
    }
  }

  /**
   * {@code start.accept(done)} on the loop thread: at once when already there (the scheduler's timers fire on
   * it), with no object made per attempt (a capturing lambda costs a call into the VM under lbctl run's C1-only
   * JVM: see CheckLoop.Attempt).
   */
  private void onLoop(Consumer<Consumer<CheckResult>> start, Consumer<CheckResult> done) {
    if (engine.inLoop()) {
      start.accept(done);
    } else {
      engine.execute(() -> start.accept(done));
    }
  }

  private static NetworkInterface bindInterface(CheckSpec spec, RealServerKey real, CheckTarget ct) {
    NetworkInterface nif = null;
    try {
      nif = NetworkInterface.getByName(ct.bindInterface());
    } catch (java.net.SocketException e) {
      CheckScheduler.LOG.debug("bind_if {}: {}", ct.bindInterface(), e.toString());
    }
    if (nif == null) {
      CheckScheduler.LOG.warn("{} on {}: bind_if {}: no such interface now; the check runs unbound", spec.type(),
          real, ct.bindInterface());
    } else {
      CheckScheduler.LOG.info("{} on {}: bind_if {} scopes IPv6 link-local addresses only (SO_BINDTODEVICE needs "
          + "native code)", spec.type(), real, ct.bindInterface());
    }
    return nif;
  }

  /**
   * keepalived's use of bind_if for IPv6 link-local addresses: the address gets the
   * interface as its scope (sin6_scope_id). Other addresses are returned as they are.
   */
  static InetSocketAddress scoped(InetSocketAddress a, NetworkInterface nif) {
    if (a == null || nif == null || !(a.getAddress() instanceof Inet6Address v6) || !v6.isLinkLocalAddress()
        || v6.getScopedInterface() != null || v6.getScopeId() != 0) {
      return a;
    }
    try {
      return new InetSocketAddress(Inet6Address.getByAddress(null, v6.getAddress(), nif.getIndex()), a.getPort());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("a 16-byte address was refused: " + v6, e);
    }
  }

  static InetSocketAddress target(CheckSpec spec, RealServerKey real, int defaultPort) {
    CheckTarget t = spec.target() == null ? CheckTarget.REAL_SERVER : spec.target();
    InetAddress a = t.connectIp() != null ? t.connectIp() : real.address();
    int port = t.connectPort() != 0 ? t.connectPort() : real.port() != 0 ? real.port() : defaultPort;
    return new InetSocketAddress(a, port);
  }

  private static InetSocketAddress bindAddress(CheckTarget t) {
    if (t == null || (t.bindTo() == null && t.bindPort() == 0)) {
      return null;
    }
    return t.bindTo() != null ? new InetSocketAddress(t.bindTo(), t.bindPort()) : new InetSocketAddress(t.bindPort());
  }

  private static String localHostName() {
    return Inet.hostName();
  }
}

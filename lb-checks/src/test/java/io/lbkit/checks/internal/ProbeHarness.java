package io.lbkit.checks.internal;

import io.lbkit.api.RealServerKey;
import io.lbkit.api.check.CheckSpec;
import io.lbkit.checks.CheckResult;
import io.lbkit.checks.Checker;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one attempt of a check on a real engine and waits (bounded) for its result. */
final class ProbeHarness implements AutoCloseable {
  final NioEngine engine;
  final BlockingRunner blocking = new BlockingRunner(4);
  final Probes probes;

  ProbeHarness(Checker... custom) {
    this(true, custom);
  }

  /** With {@code resetOnClose} as {@link NioEngine#start(String, boolean)} takes it. */
  ProbeHarness(boolean resetOnClose, Checker... custom) {
    engine = NioEngine.start("test-checks", resetOnClose);
    Map<String, Checker> m = new java.util.HashMap<>();
    for (Checker c : custom) {
      m.put(c.type(), c);
    }
    probes = new Probes(engine, blocking, m);
  }

  CheckResult run(CheckSpec spec, int port) throws Exception {
    return run(spec, port, 1);
  }

  CheckResult run(CheckSpec spec, int port, int weight) throws Exception {
    CompletableFuture<CheckResult> f = new CompletableFuture<>();
    probes.bind(spec, new RealServerKey(InetAddress.getLoopbackAddress(), port), weight).run(f::complete);
    return f.get(15, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    engine.close();
    blocking.close();
  }
}

package io.lbkit.cli;

import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.runtime.Changes;
import io.lbkit.runtime.RuntimeListener;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code lbctl run} prints while it runs, one line each, and the status file's trigger: VRRP
 * transitions, health verdicts, every dataplane write with what caused it, and after each
 * reconciliation that wrote (and after every start or reload, even with nothing to write) the count
 * of writes, e.g. {@code IPVS apply: 0 writes (0 refused); 0 since start}: a restart that adopts
 * a table left by a killed run says so with its 0.
 */
final class RunPrinter implements RuntimeListener {
  private final PrintStream out;
  private final Runnable statusChanged;
  private final AtomicLong writes = new AtomicLong();

  RunPrinter(PrintStream out, Runnable statusChanged) {
    this.out = out;
    this.statusChanged = statusChanged;
  }

  @Override
  public void vrrpStateChanged(String name, VrrpState from, VrrpState to, String why) {
    out.println(Instant.now() + " VRRP " + name + ": " + from + " -> " + to + " (" + why + ")");
    statusChanged.run();
  }

  @Override
  public void healthChanged(HealthEvent e) {
    out.println(Instant.now() + " HEALTH " + e.real() + " of " + e.service() + ": " + (e.up() ? "UP" : "DOWN")
        + (e.reason().isEmpty() ? "" : " (" + e.reason() + ")"));
    statusChanged.run();
  }

  @Override
  public void reconciled(String cause, Reconciliation r) {
    String why = cause.equals("apply") ? "" : " (" + cause + ")";
    for (IpvsOp op : r.applied()) {
      out.println(Instant.now() + " IPVS ipvsadm " + op + why);
    }
    for (var f : r.failed()) {
      out.println(Instant.now() + " IPVS FAILED ipvsadm " + f.op() + why + ": " + f.error().getMessage());
    }
    int n = r.applied().size() + r.failed().size();
    long total = writes.addAndGet(n);
    if (n > 0 || cause.equals("apply")) {
      out.println(Instant.now() + " IPVS " + cause + ": " + n + " write" + (n == 1 ? "" : "s") + " ("
          + r.failed().size() + " refused); " + total + " since start");
    }
  }

  @Override
  public void applied(Changes c) {
    for (String line : c.network()) {
      out.println(Instant.now() + " NET " + line);
    }
    for (String line : c.failures()) {
      out.println(Instant.now() + " NET FAILED " + line);
    }
    statusChanged.run();
  }
}

package io.lbkit.fleet;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.kernel.BatchException;
import io.lbkit.runtime.Changes;
import io.lbkit.runtime.LoadBalancerRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which revision of the key a director's runtime holds, and applying a newer one: a text
 * equal to the applied one is nothing to write, a text with errors or one the runtime
 * refuses is kept out (the error is reported, the last good revision stays). A revision
 * whose dataplane changes partly failed (the runtime's {@link Changes} name failures) is
 * not applied either: it is pending, the error says what failed, and {@link #retry()}
 * (at each probe) re-reads the dataplane and puts back what differs until it is all
 * there; only then is it the applied revision. Used on the director's thread only.
 */
final class Revisions {
  private static final Logger LOG = LoggerFactory.getLogger(Revisions.class);
  private final String name;
  private final String key;
  private LoadBalancerRuntime runtime;
  private long applied;
  private long latest;
  private long latestValid;
  private String appliedText;
  private String error = "";
  // the revision the runtime holds but whose dataplane changes partly failed; 0 when none
  private long pending;
  private String pendingText;

  Revisions(String name, String key) {
    this.name = name;
    this.key = key;
  }

  /** The first revision, applied by starting {@code rt}. */
  void started(LoadBalancerRuntime rt, String text, long revision) {
    runtime = rt;
    applied = latest = latestValid = revision;
    appliedText = text;
  }

  long applied() {
    return applied;
  }

  long latest() {
    return latest;
  }

  String error() {
    return error;
  }

  /** True while a revision's dataplane changes partly failed (then {@link #retry()} is due). */
  boolean partial() {
    return pending != 0;
  }

  /** True while the runtime holds the newest revision that could be applied (rejected ones do not count). */
  boolean holdsNewest() {
    return applied == latestValid;
  }

  /** The key deleted: kept as it is, reported. */
  void deleted(long revision) {
    error = "key " + key + " deleted at revision " + revision + ": keeping revision " + applied;
    LOG.warn("{}: {}", name, error);
  }

  /** A revision seen by the watch or a re-read; older or already seen ones are ignored. */
  void apply(String text, long revision) {
    apply(text, revision, null);
  }

  /** As {@link #apply(String, long)}, marking the parse and the reload in {@code timing} (may be null). */
  void apply(String text, long revision, ApplyTiming timing) {
    if (revision <= latest) {
      return; // seen (a watch resumed over what it delivered)
    }
    latest = revision;
    if (pending == 0 && text.equals(appliedText)) {
      applied = latestValid = revision; // the same configuration: nothing to write
      error = "";
      return;
    }
    if (pending != 0 && text.equals(pendingText)) {
      latestValid = pending = revision; // the runtime holds it already: only what failed is due
      retry();
      return;
    }
    LoadBalancerSpec spec;
    try {
      spec = FleetConfig.spec(text, key + "@" + revision);
    } catch (InvalidConfigException e) {
      error = "revision " + revision + " not applied (keeping " + applied + "): " + e.getMessage();
      LOG.warn("{}: {}", name, error);
      return;
    }
    if (timing != null) {
      timing.parsed();
    }
    latestValid = revision;
    try {
      Changes c = runtime.reload(spec);
      List<String> failed = failures(c.ipvs(), c.failures());
      if (pending != 0 && failed.isEmpty()) {
        // the reload wrote only what differs from the last spec: what failed before is checked against the kernel
        Reconciliation r = runtime.resync();
        failed = failures(r, List.of());
      }
      if (timing != null) {
        timing.reloaded();
      }
      if (failed.isEmpty()) {
        done(text, revision);
      } else {
        partly(text, revision, failed);
      }
    } catch (IOException e) {
      error = "revision " + revision + " refused (keeping " + applied + "): " + e.getMessage();
      LOG.warn("{}: {}", name, error);
    }
  }

  /**
   * The pending revision again: the same spec once more (static addresses and routes that failed are tried again),
   * then the dataplane re-read and what differs put back. Nothing when no revision is pending.
   */
  void retry() {
    if (pending == 0) {
      return;
    }
    long revision = pending;
    try {
      Changes c = runtime.reload(runtime.spec());
      List<String> failed = failures(Reconciliation.NONE, c.failures());
      Reconciliation r = runtime.resync();
      failed.addAll(failures(r, List.of()));
      if (failed.isEmpty()) {
        done(pendingText, revision);
      } else {
        partly(pendingText, revision, failed);
      }
    } catch (IOException | RuntimeException e) {
      partly(pendingText, revision, List.of(String.valueOf(e.getMessage())));
    }
  }

  private void done(String text, long revision) {
    applied = revision;
    appliedText = text;
    pending = 0;
    pendingText = null;
    error = "";
    LOG.info("{}: applied revision {}", name, revision);
  }

  private void partly(String text, long revision, List<String> failed) {
    String e = "revision " + revision + " partly applied (keeping " + applied + "): " + failed.size()
        + " change(s) failed, first: " + failed.get(0) + "; retried at each probe";
    if (!e.equals(error)) {
      LOG.warn("{}: {}", name, e);
    }
    error = e;
    pending = revision;
    pendingText = text;
  }

  private static List<String> failures(Reconciliation r, List<String> network) {
    List<String> out = new ArrayList<>();
    for (BatchException.Failure f : r.failed()) {
      out.add(f.op() + ": " + f.error().getMessage());
    }
    out.addAll(network);
    return out;
  }
}

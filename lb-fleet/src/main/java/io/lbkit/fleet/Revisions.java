package io.lbkit.fleet;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.runtime.LoadBalancerRuntime;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which revision of the key a director's runtime holds, and applying a newer one: a text
 * equal to the applied one is nothing to write, a text with errors or one the runtime
 * refuses is kept out (the error is reported, the last good revision stays). Used on the
 * director's thread only.
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
    if (revision <= latest) {
      return; // seen (a watch resumed over what it delivered)
    }
    latest = revision;
    if (text.equals(appliedText)) {
      applied = latestValid = revision; // the same configuration: nothing to write
      error = "";
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
    latestValid = revision;
    try {
      runtime.reload(spec);
      applied = revision;
      appliedText = text;
      error = "";
      LOG.info("{}: applied revision {}", name, revision);
    } catch (IOException e) {
      error = "revision " + revision + " refused (keeping " + applied + "): " + e.getMessage();
      LOG.warn("{}: {}", name, error);
    }
  }
}

package io.lbkit.vrrp;

import io.lbkit.api.script.ScriptPolicy;
import io.lbkit.api.vrrp.VrrpListener;
import io.lbkit.api.vrrp.VrrpState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Java listeners and keepalived-style notify scripts of transitions, on its
 * own executor so that the protocol thread never waits for them.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

  private final Executor executor;
  private final List<VrrpListener> listeners;
  private static final String[] KEYWORDS = {"notify_master", "notify_backup", "notify_fault", "notify_stop", "notify"};

  private final ProcessRunner runner;
  private volatile ScriptPolicy policy;

  Notifier(Executor executor, List<VrrpListener> listeners, ProcessRunner runner, ScriptPolicy policy) {
    this.executor = executor;
    this.listeners = List.copyOf(listeners);
    this.runner = runner;
    this.policy = policy;
  }

  /** From now on (a reload), scripts run under this policy. */
  void policy(ScriptPolicy p) {
    policy = p;
  }

  /**
   * One transition of an instance ({@code type} "INSTANCE") or a sync group ("GROUP").
   *
   * @param scripts notify_master, notify_backup, notify_fault, notify_stop, notify (each may be null)
   * @param users each script's {@code USER [GROUP]} by keyword (notify_master ...), absent for script_user
   */
  void changed(String type, String name, VrrpState from, VrrpState to, String reason, int priority,
      String[] scripts, java.util.Map<String, String> users) {
    try {
      executor.execute(() -> deliver(type, name, from, to, reason, priority, scripts, users));
    } catch (RejectedExecutionException e) {
      LOG.warn("VRRP {} {}: notification of {} dropped (notifier shut down)", type.toLowerCase(), name, to);
    }
  }

  private void deliver(String type, String name, VrrpState from, VrrpState to, String reason, int priority,
      String[] scripts, java.util.Map<String, String> users) {
    if (type.equals("INSTANCE")) {
      for (VrrpListener l : listeners) {
        try {
          l.stateChanged(name, from, to, reason);
        } catch (RuntimeException e) {
          LOG.error("VRRP listener {} failed on {} -> {}", l, name, to, e);
        }
      }
    }
    int which = switch (to) {
      case MASTER -> 0;
      case BACKUP -> 1;
      case FAULT -> 2;
      case STOP -> 3;
      default -> -1;
    };
    if (which >= 0 && scripts[which] != null) {
      runScript(ProcessRunner.split(scripts[which]), name, KEYWORDS[which], users.get(KEYWORDS[which]));
    }
    if (scripts[4] != null && to != VrrpState.INIT) {
      List<String> argv = new ArrayList<>(ProcessRunner.split(scripts[4]));
      argv.add(type);
      argv.add(name);
      argv.add(to.name());
      argv.add(Integer.toString(priority));
      runScript(argv, name, "notify", users.get("notify"));
    }
  }

  private void runScript(List<String> command, String name, String keyword, String user) {
    ScriptPolicy.Decision how = policy.decide(command, user);
    if (how.isRefused()) {
      LOG.warn("VRRP {}: {} script {} not run: {}", name, keyword, command.get(0), how.refused());
      return;
    }
    if (how.warning() != null) {
      LOG.warn("VRRP {}: {} script {}: {}", name, keyword, command.get(0), how.warning());
    }
    List<String> argv = how.argv();
    try {
      int rc = runner.run(argv, SCRIPT_TIMEOUT);
      if (rc != 0) {
        LOG.warn("VRRP {}: notify script {} exited with {}", name, argv, rc == ProcessRunner.TIMED_OUT ? "timeout" : rc);
      }
    } catch (IOException e) {
      LOG.error("VRRP {}: notify script {} could not start: {}", name, argv, e.getMessage());
    }
  }
}

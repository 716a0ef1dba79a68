package io.lbkit.vrrp;

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
  private final ProcessRunner runner;

  Notifier(Executor executor, List<VrrpListener> listeners, ProcessRunner runner) {
    this.executor = executor;
    this.listeners = List.copyOf(listeners);
    this.runner = runner;
  }

  /**
   * One transition of an instance ({@code type} "INSTANCE") or a sync group ("GROUP").
   *
   * @param scripts notify_master, notify_backup, notify_fault, notify_stop, notify (each may be null)
   */
  void changed(String type, String name, VrrpState from, VrrpState to, String reason, int priority,
      String[] scripts) {
    try {
      executor.execute(() -> deliver(type, name, from, to, reason, priority, scripts));
    } catch (RejectedExecutionException e) {
      LOG.warn("VRRP {} {}: notification of {} dropped (notifier shut down)", type.toLowerCase(), name, to);
    }
  }

  private void deliver(String type, String name, VrrpState from, VrrpState to, String reason, int priority,
      String[] scripts) {
    if (type.equals("INSTANCE")) {
      for (VrrpListener l : listeners) {
        try {
          l.stateChanged(name, from, to, reason);
        } catch (RuntimeException e) {
          LOG.error("VRRP listener {} failed on {} -> {}", l, name, to, e);
        }
      }
    }
    String specific = switch (to) {
      case MASTER -> scripts[0];
      case BACKUP -> scripts[1];
      case FAULT -> scripts[2];
      case STOP -> scripts[3];
      default -> null;
    };
    if (specific != null) {
      runScript(ProcessRunner.split(specific), name);
    }
    if (scripts[4] != null && to != VrrpState.INIT) {
      List<String> argv = new ArrayList<>(ProcessRunner.split(scripts[4]));
      argv.add(type);
      argv.add(name);
      argv.add(to.name());
      argv.add(Integer.toString(priority));
      runScript(argv, name);
    }
  }

  private void runScript(List<String> argv, String name) {
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

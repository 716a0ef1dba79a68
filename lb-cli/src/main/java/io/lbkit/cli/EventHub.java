package io.lbkit.cli;

import static io.lbkit.api.LoadBalancerStatus.jsonString;

import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.runtime.Changes;
import io.lbkit.runtime.RuntimeListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event stream of {@code lbctl run} ({@code /events} over HTTP, {@code lbctl events}
 * over its socket): VRRP transitions, health changes, reconciliations and reloads as
 * one-line JSON objects with a sequence number and a timestamp, in the order they
 * happened. Publishing never blocks: each subscriber has a bounded backlog, and one that
 * falls {@link #BACKLOG} events behind is cut off (its stream ends) instead of slowing
 * the daemon. Only names, states and reasons are sent; nothing from the configuration's
 * secrets (auth_pass, scripts) is in an event.
 */
final class EventHub implements RuntimeListener {
  /** Events a subscriber may be behind before it is cut off. */
  static final int BACKLOG = 4096;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Supplier<Instant> clock;
  private final Object order = new Object();
  private long seq;
  private boolean started;

  EventHub(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** One reader of the stream. */
  static final class Subscriber implements AutoCloseable {
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(BACKLOG);
    private final EventHub hub;
    private volatile boolean cut;
    private volatile Runnable wakeup = () -> {};

    private Subscriber(EventHub hub) {
      this.hub = hub;
    }

    /** The next event, waiting at most {@code millis}; null if none came, or if this subscriber was cut off. */
    String poll(long millis) throws InterruptedException {
      return cut ? null : queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next event if one is waiting, else null. */
    String poll() {
      return cut ? null : queue.poll();
    }

    /** True once it fell too far behind (or was closed): its stream should end. */
    boolean isCut() {
      return cut;
    }

    /** Called (on the publishing thread, quickly) after each event offered to this subscriber. */
    void onEvent(Runnable r) {
      wakeup = r;
    }

    private void offer(String event) {
      if (!queue.offer(event)) {
        cut = true;
        queue.clear();
      }
      wakeup.run();
    }

    @Override
    public void close() {
      cut = true;
      hub.subscribers.remove(this);
    }
  }

  /** A new reader of every event from now on. */
  Subscriber subscribe() {
    Subscriber s = new Subscriber(this);
    subscribers.add(s);
    return s;
  }

  int subscribers() {
    return subscribers.size();
  }

  @Override
  public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
    publish("vrrp", ",\"instance\":" + jsonString(instance) + ",\"from\":\"" + from + "\",\"to\":\"" + to
        + "\",\"reason\":" + jsonString(reason));
  }

  @Override
  public void healthChanged(HealthEvent e) {
    publish("health", ",\"service\":" + jsonString(e.service().toString()) + ",\"real\":"
        + jsonString(e.real().toString()) + ",\"up\":" + e.up() + (e.weight() >= 0 ? ",\"weight\":" + e.weight() : "")
        + ",\"reason\":" + jsonString(e.reason()));
  }

  @Override
  public void reconciled(String cause, Reconciliation r) {
    if (r.applied().isEmpty() && r.failed().isEmpty()) {
      return;
    }
    publish("reconcile", ",\"cause\":" + jsonString(cause) + ",\"applied\":" + r.applied().size()
        + ",\"failed\":" + r.failed().size());
  }

  @Override
  public void applied(Changes changes) {
    boolean first;
    synchronized (order) {
      first = !started;
      started = true;
    }
    publish("reload", ",\"result\":\"" + (first ? "started" : "success") + "\"");
  }

  @Override
  public void reloadFailed(Exception error) {
    // the error's text may quote the file; the log has it, the stream says only that it failed
    publish("reload", ",\"result\":\"failure\"");
  }

  private void publish(String type, String fields) {
    synchronized (order) { // one order for every subscriber
      String event = "{\"seq\":" + (++seq) + ",\"time\":\"" + clock.get() + "\",\"type\":\"" + type + "\"" + fields
          + "}";
      for (Subscriber s : subscribers) {
        s.offer(event);
      }
    }
  }
}

package io.lbkit.fleet;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.runtime.RuntimeListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active director of a fleet: runs the keepalived.conf stored in etcd on a
 * {@link LoadBalancerRuntime} and follows every change with the runtime's minimal
 * difference, registers itself under a lease ({@link DirectorStatus}) and tells its
 * {@link VipAnnouncer} which VIPs it can serve.
 *
 * <pre>{@code
 * FleetStore store = FleetStore.connect(List.of(URI.create("http://10.0.0.1:2379")), "/lbkit/site1");
 * try (FleetDirector d = FleetDirector.builder(store, "dir1").runtime(LoadBalancerRuntime.builder()).start()) {
 *   ...                                      // follows the key until closed
 * }                                          // withdraws, deregisters, stops the runtime
 * }</pre>
 *
 * <p>etcd faults: {@link Builder#start()} tries to read the key for {@link Builder#startWait} (30 s by
 * default; {@code lbctl run --etcd} waits as long as it takes), while etcd does not answer and while the key
 * does not exist yet (a director started before the first {@code lbctl put} starts on that put's revision
 * and follows the key from there). Once started, while etcd cannot be reached
 * (probed every {@link Builder#probeEvery}) the
 * director keeps serving what it applied, announces as before, writes nothing to the dataplane,
 * logs a warning and says so in {@link DirectorStatus#etcdProblem()}; when etcd is back the
 * watch resumes after the last revision seen (nothing is written if nothing changed), and a
 * compacted revision makes it read the key again. A revision with errors, or one the runtime
 * refuses, is not applied: the last good configuration stays and the error is in
 * {@link DirectorStatus#configError()}; such a revision does not count as newer for the
 * announcement (one bad put does not withdraw every VIP of the fleet). A revision whose
 * dataplane changes partly failed (the kernel refused some) is not applied either: the
 * status keeps the previous applied revision and says what failed, the VIPs are withdrawn
 * (this director's dataplane does not hold the newest revision), and each probe re-reads
 * the dataplane and puts back what differs until the revision is all there.
 */
public final class FleetDirector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetDirector.class);
  private final FleetStore store;
  private final String name;
  private final Duration probeEvery;
  private final Duration startWait;
  private final Consumer<DirectorStatus> onStatus;
  private final ScheduledExecutorService thread;
  private final Registration registration;
  private final Announcements announcements;
  private LoadBalancerRuntime runtime;
  private Watch.Watcher watcher;
  private long lastSeen; // the etcd revision the watch resumes after
  private final Revisions revisions;
  private boolean reachable = true;
  private String etcdProblem = "";
  private volatile DirectorStatus status;
  private ApplyTiming told; // the watch event being published, if timed
  private boolean closed;

  private FleetDirector(Builder b) {
    store = b.store;
    name = b.name;
    probeEvery = b.probeEvery;
    startWait = b.startWait;
    onStatus = b.onStatus;
    Duration shortCall = b.probeEvery.plusSeconds(1).compareTo(Duration.ofSeconds(2)) > 0 ? b.probeEvery.plusSeconds(1)
        : Duration.ofSeconds(2);
    registration = new Registration(store, name, b.leaseTtl, shortCall);
    announcements = new Announcements(name, b.announcer);
    revisions = new Revisions(name, store.key());
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lbkit-fleet-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** A director named {@code name} (unique in the fleet) following {@code store}'s key. */
  public static Builder builder(FleetStore store, String name) {
    return new Builder(store, name);
  }

  /** The director's state now (also registered in etcd while it is reachable). */
  public DirectorStatus status() {
    return status;
  }

  /** The runtime it drives (its dataplane, VRRP, checks). */
  public LoadBalancerRuntime runtime() {
    return runtime;
  }

  private void start(LoadBalancerRuntime.Builder rb) throws IOException {
    GetResponse r = store.readForStart(name, startWait, probeEvery);
    if (r.getKvs().isEmpty()) { // readForStart waits for the key: not expected
      throw new IOException("etcd key " + store.key() + " does not exist: store a configuration first (lbctl put)");
    }
    KeyValue kv = r.getKvs().get(0);
    String text = kv.getValue().toString(StandardCharsets.UTF_8);
    LoadBalancerSpec spec = FleetConfig.spec(text, store.key() + "@" + kv.getModRevision());
    runtime = rb.listener(new RuntimeListener() {
      @Override
      public void healthChanged(HealthEvent event) {
        submit(FleetDirector.this::publish);
      }
    }).start(spec);
    revisions.started(runtime, text, kv.getModRevision());
    lastSeen = r.getHeader().getRevision();
    LOG.info("{}: applied revision {} of {}", name, revisions.applied(), store.key());
    // announced and registered on the director's thread, next; status() is never null once started
    status = new DirectorStatus(name, revisions.applied(), revisions.latest(), true, "", "", List.of(),
        Announcements.health(runtime.status()));
    submit(() -> {
      watch();
      publish();
      warm(text);
    });
    thread.scheduleWithFixedDelay(this::probe, probeEvery.toMillis(), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Parses the running text a few more times, on the director's thread once it follows the key: the
   * first change then runs the parser compiled rather than interpreted (a cold parse of a small
   * configuration took milliseconds on a loaded host). Bounded: a text under 64 KiB, 20 parses or
   * 100 ms, whichever comes first; a watch event queued meanwhile waits at most that long once.
   */
  private void warm(String text) {
    if (text.length() > 64 * 1024) {
      return;
    }
    long end = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < 20 && System.nanoTime() < end; i++) {
      FleetConfig.check(text, store.key());
    }
  }

  private void submit(Runnable r) {
    try {
      thread.execute(() -> {
        try {
          if (!closed) {
            r.run();
          }
        } catch (RuntimeException e) {
          LOG.error("{}: {}", name, e.toString(), e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void watch() {
    WatchOption o = WatchOption.builder().withRevision(lastSeen + 1).build();
    watcher = store.client().getWatchClient().watch(FleetStore.bytes(store.key()), o,
        Watch.listener(resp -> {
          ApplyTiming t = ApplyTiming.receivedNow();
          submit(() -> events(resp, t));
        }, err -> submit(() -> watchFailed(err))));
  }

  private void closeWatcher() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private void events(WatchResponse resp, ApplyTiming timing) {
    if (timing != null) {
      timing.dequeued();
    }
    for (WatchEvent e : resp.getEvents()) {
      KeyValue kv = e.getKeyValue();
      lastSeen = Math.max(lastSeen, kv.getModRevision());
      if (e.getEventType() == WatchEvent.EventType.PUT) {
        revisions.apply(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), timing);
      } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
        revisions.deleted(kv.getModRevision());
      }
    }
    told = timing;
    try {
      publish();
    } finally {
      told = null;
    }
    if (timing != null) {
      timing.registered(name, revisions.latest(), revisions.applied() == revisions.latest() ? "applied"
          : "not-applied");
    }
  }

  private void watchFailed(Throwable err) {
    closeWatcher();
    if (err instanceof CompactedException || String.valueOf(err.getMessage()).contains("compacted")) {
      LOG.info("{}: revision {} was compacted: reading {} again", name, lastSeen + 1, store.key());
      reread();
    } else {
      LOG.debug("{}: watch failed: {}", name, err.toString());
      // the probe restarts it once etcd answers
    }
  }

  /** A full read of the key (after compaction), then the watch from the read's revision. */
  private void reread() {
    try {
      GetResponse r = store.await("get " + store.key(),
          store.client().getKVClient().get(FleetStore.bytes(store.key())));
      if (!r.getKvs().isEmpty()) {
        KeyValue kv = r.getKvs().get(0);
        revisions.apply(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision());
      }
      lastSeen = r.getHeader().getRevision();
      watch();
      publish();
    } catch (IOException e) {
      unreachable(e);
    }
  }

  private void probe() {
    if (closed) {
      return;
    }
    if (revisions.partial()) {
      revisions.retry(); // the dataplane, whether etcd answers or not
    }
    try {
      store.await("get " + store.key(), store.client().getKVClient().get(FleetStore.bytes(store.key()),
          io.etcd.jetcd.options.GetOption.builder().withKeysOnly(true).build()), probeEvery.plusSeconds(1));
      if (!reachable) {
        LOG.info("{}: etcd reachable again; resuming the watch after revision {}", name, lastSeen);
        reachable = true;
        etcdProblem = "";
        registration.forget(); // its lease may have expired meanwhile
      }
      if (watcher == null) {
        watch();
      }
      publish();
    } catch (IOException e) {
      unreachable(e);
    } catch (RuntimeException e) {
      LOG.error("{}: probe: {}", name, e.toString(), e);
    }
  }

  private void unreachable(IOException e) {
    if (reachable) {
      reachable = false;
      etcdProblem = "unreachable since " + Instant.now() + ": " + e.getMessage();
      LOG.warn("{}: etcd {}; serving revision {} as it is", name, etcdProblem, revisions.applied());
      closeWatcher();
    }
    publish();
  }

  /** Recomputes the status; announces and registers what changed. */
  private void publish() {
    io.lbkit.api.LoadBalancerStatus now = runtime.status();
    DirectorStatus s = new DirectorStatus(name, revisions.applied(), revisions.latest(), reachable, etcdProblem,
        revisions.error(), announcements.update(now, revisions.holdsNewest()), Announcements.health(now));
    status = s;
    onStatus.accept(s); // first: a listener's timestamp is the apply's, not the registration's
    if (told != null) {
      told.told();
    }
    if (reachable) {
      try {
        registration.write(s.encode());
      } catch (IOException e) {
        LOG.debug("{}: registration not written: {}", name, e.getMessage());
      }
    }
  }

  /**
   * Stops gracefully: withdraws every VIP, deregisters (the lease is revoked), stops
   * following etcd and closes the runtime (see {@link LoadBalancerRuntime#close()}).
   * Idempotent. The store is the caller's.
   */
  @Override
  public void close() throws IOException {
    java.util.concurrent.Future<?> f = thread.submit(() -> {
      if (closed) {
        return;
      }
      closed = true;
      announcements.withdrawAll();
      closeWatcher();
      registration.revoke();
    });
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{}: stopping: {}", name, e.toString());
    } finally {
      thread.shutdownNow();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  /** How a director runs; {@link #start()} starts it. */
  public static final class Builder {
    private final FleetStore store;
    private final String name;
    private LoadBalancerRuntime.Builder runtime = LoadBalancerRuntime.builder();
    private VipAnnouncer announcer = VipAnnouncer.none();
    private Duration leaseTtl = Duration.ofSeconds(5);
    private Duration probeEvery = Duration.ofSeconds(1);
    private Duration startWait = FleetStore.START_TIMEOUT;
    private Consumer<DirectorStatus> onStatus = s -> { };

    private Builder(FleetStore store, String name) {
      this.store = Objects.requireNonNull(store, "store");
      new DirectorStatus(name, 0, 0, true, "", "", List.of(), Map.of()); // checks the name
      this.name = name;
    }

    /** The runtime to start (its namespace, dataplane, adapters); default {@link LoadBalancerRuntime#builder()}. */
    public Builder runtime(LoadBalancerRuntime.Builder b) {
      runtime = Objects.requireNonNull(b, "runtime");
      return this;
    }

    /** Who announces the VIPs (default {@link VipAnnouncer#none()}). */
    public Builder announcer(VipAnnouncer a) {
      announcer = Objects.requireNonNull(a, "announcer");
      return this;
    }

    /** The registration lease's TTL (default 5 s, at least 1 s): how long a dead director stays listed. */
    public Builder leaseTtl(Duration ttl) {
      if (ttl.toSeconds() < 1) {
        throw new IllegalArgumentException("lease TTL must be at least 1 s: " + ttl);
      }
      leaseTtl = ttl;
      return this;
    }

    /** How often etcd is probed (default 1 s; at least 50 ms): how fast an outage is noticed and ended. */
    public Builder probeEvery(Duration d) {
      if (d.toMillis() < 50) {
        throw new IllegalArgumentException("probe interval must be at least 50 ms: " + d);
      }
      probeEvery = d;
      return this;
    }

    /**
     * How long {@link #start()} keeps trying to read the key while etcd does not answer or the key does not
     * exist yet (default 30 s): each try has its own deadline ({@link FleetStore#TIMEOUT}), the next comes
     * {@link #probeEvery} later, and a warning naming the endpoints and the error, or the key, is logged at the
     * first failure, when the reason changes and every 10 s. The first revision stored meanwhile is the one
     * started on; the watch follows the key from there. {@code Duration.ZERO}: one try.
     * A director that should wait out an etcd outage at boot, as it does one later, gives
     * {@code ChronoUnit.FOREVER.getDuration()} (any length is allowed; one beyond ~292 years has no end);
     * interrupting the thread in {@code start()} ends the wait at once
     * ({@link java.io.InterruptedIOException}, nothing started). gRPC may swallow an interrupt that
     * comes while the client sets up its first connection: a caller that stops a start interrupts it
     * until it returns.
     */
    public Builder startWait(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("start wait must not be negative: " + d);
      }
      startWait = d;
      return this;
    }

    /** Told each new status, on the director's thread (e.g. to print it, or in tests). */
    public Builder onStatus(Consumer<DirectorStatus> c) {
      onStatus = Objects.requireNonNull(c, "onStatus");
      return this;
    }

    /**
     * Reads the key, starts the runtime on it, registers and starts following the key.
     *
     * @throws InvalidConfigException if the stored configuration has errors (nothing started)
     * @throws java.io.InterruptedIOException if the calling thread was interrupted (nothing started; its
     *     interrupt status is set)
     * @throws IOException if etcd cannot be reached or the key does not exist (tried for {@link #startWait}), or
     *     the runtime cannot start
     */
    public FleetDirector start() throws IOException {
      FleetDirector d = new FleetDirector(this);
      try {
        d.start(runtime);
        return d;
      } catch (IOException | RuntimeException e) {
        boolean interrupted = Thread.interrupted(); // the close below still waits for its thread
        try {
          d.close();
        } catch (IOException | RuntimeException s) {
          e.addSuppressed(s);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        throw e;
      }
    }
  }
}

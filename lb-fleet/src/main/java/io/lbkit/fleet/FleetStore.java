package io.lbkit.fleet;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.lbkit.config.keepalived.Diagnostic;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet's desired state in etcd v3: one keepalived.conf text under one key, and the
 * directors registered under {@code KEY/directors/}. Every call has a deadline
 * ({@link #TIMEOUT}); an unreachable etcd is an {@link IOException} naming the endpoints.
 *
 * <pre>{@code
 * try (FleetStore store = FleetStore.connect(List.of(URI.create("http://127.0.0.1:2379")), "/lbkit/site1")) {
 *   long rev = store.put(Files.readString(conf), OptionalLong.empty());  // validated first
 *   for (DirectorStatus d : store.directors()) { ... }
 * }
 * }</pre>
 */
public final class FleetStore implements AutoCloseable {
  /** The deadline of each etcd call (generous: a cold JVM on a loaded host needs seconds for its first call). */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(FleetStore.class);
  private static final String DIRECTORS = "/directors/";

  private final Client client;
  private final boolean owned;
  private final String key;
  private final String where;

  private FleetStore(Client client, boolean owned, String key, String where) {
    this.client = client;
    this.owned = owned;
    this.key = checkKey(key);
    this.where = where;
  }

  /** A store on these etcd endpoints ({@code http://HOST:PORT}); {@link #close} closes the client it opens. */
  public static FleetStore connect(List<URI> endpoints, String key) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    for (URI u : endpoints) {
      if (u.getHost() == null || u.getPort() <= 0 || !"http".equals(u.getScheme())) {
        throw new IllegalArgumentException("etcd endpoint must be http://HOST:PORT: " + u);
      }
    }
    Client c = Client.builder().endpoints(endpoints).connectTimeout(TIMEOUT).build();
    return new FleetStore(c, true, key, "etcd " + endpoints);
  }

  /** A store on the caller's client (not closed by {@link #close}). */
  public static FleetStore of(Client client, String key) {
    return new FleetStore(Objects.requireNonNull(client, "client"), false, key, "etcd");
  }

  private static String checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.chars().anyMatch(c -> c < ' ')) {
      throw new IllegalArgumentException("etcd key must be non-empty, without control characters: '" + key + "'");
    }
    return key;
  }

  /**
   * What {@code lbctl check} would report for this text, plus an error per {@code include}
   * (a stored configuration is one text; an include would read each director's own file).
   *
   * @param name the name diagnostics give the text (e.g. the file it was read from)
   */
  public static List<Diagnostic> check(String text, String name) {
    return FleetConfig.check(Objects.requireNonNull(text, "text"), Objects.requireNonNull(name, "name"));
  }

  /** The key the configuration is stored under. */
  public String key() {
    return key;
  }

  /** The client (for {@link FleetDirector}). */
  Client client() {
    return client;
  }

  /**
   * Validates and stores a configuration.
   *
   * @param ifRevision store only if the key is still at this revision (0: only if it does not exist yet)
   * @return the new revision
   * @throws InvalidConfigException if the text has errors (nothing written)
   * @throws RevisionMismatchException if {@code ifRevision} is given and the key moved on (nothing written)
   * @throws IOException if etcd cannot be reached within {@link #TIMEOUT}
   */
  public long put(String text, OptionalLong ifRevision) throws IOException {
    FleetConfig.spec(text, key); // throws with the diagnostics
    ByteSequence k = bytes(key);
    ByteSequence v = bytes(text);
    List<Cmp> cmp = new ArrayList<>();
    if (ifRevision.isPresent()) {
      if (ifRevision.getAsLong() < 0) {
        throw new IllegalArgumentException("--if-revision must not be negative: " + ifRevision.getAsLong());
      }
      cmp.add(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(ifRevision.getAsLong())));
    }
    TxnResponse r = await("put " + key, client.getKVClient().txn().If(cmp.toArray(Cmp[]::new))
        .Then(Op.put(k, v, PutOption.DEFAULT)).commit());
    if (!r.isSucceeded()) {
      throw new RevisionMismatchException(key, ifRevision.getAsLong());
    }
    return r.getHeader().getRevision();
  }

  /** The stored configuration, or empty if the key does not exist. */
  public Optional<StoredConfig> read() throws IOException {
    GetResponse r = await("get " + key, client.getKVClient().get(bytes(key)));
    if (r.getKvs().isEmpty()) {
      return Optional.empty();
    }
    KeyValue kv = r.getKvs().get(0);
    return Optional.of(new StoredConfig(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision()));
  }

  /**
   * Every director registered now (a director's entry is written under its lease and
   * goes when the lease expires), sorted by name. An entry that is not a director's
   * status is reported as a director named after its key with the problem in {@code configError}.
   */
  public List<DirectorStatus> directors() throws IOException {
    String prefix = key + DIRECTORS;
    GetResponse r = await("get " + prefix + "*", client.getKVClient().get(bytes(prefix),
        GetOption.builder().isPrefix(true).build()));
    List<DirectorStatus> out = new ArrayList<>();
    for (KeyValue kv : r.getKvs()) {
      String name = kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
      try {
        out.add(DirectorStatus.decode(kv.getValue().toString(StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        String safe = name.isEmpty() ? "?" : name.replaceAll("[\\s/]", "_");
        out.add(new DirectorStatus(safe, 0, 0, false, "", e.getMessage(), List.of(), java.util.Map.of()));
      }
    }
    out.sort(java.util.Comparator.comparing(DirectorStatus::name));
    return out;
  }

  /** How long a director's start-up keeps trying to read the key by default (a cold JVM on a loaded host may miss a deadline). */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** While a start-up waits for etcd, a warning at most this often (and at its first failure). */
  static final Duration START_WARN_EVERY = Duration.ofSeconds(10);

  /**
   * The key and the cluster's revision, tried until etcd answers with the key or {@code wait} has passed (each
   * try within {@link #TIMEOUT}, {@code pause} between tries): a director started before etcd, or before the
   * first {@code lbctl put}, waits for it. A warning at the first failure (etcd unreachable, or the key not
   * stored yet), when the reason changes, and at most every {@link #START_WARN_EVERY} after. An interrupt ends
   * the wait at once ({@link InterruptedIOException}).
   *
   * @return a response holding the key
   * @throws IOException if {@code wait} passed (naming the endpoints and the error, or the key)
   */
  GetResponse readForStart(String director, Duration wait, Duration pause) throws IOException {
    long waitNanos = nanos(wait);
    long start = System.nanoTime();
    long warned = 0;
    Missing reason = null; // of the last warning
    int failures = 0;
    while (true) {
      IOException problem;
      Missing what;
      try {
        GetResponse r = await("get " + key, client.getKVClient().get(bytes(key)));
        if (!r.getKvs().isEmpty()) {
          if (failures > 0) {
            LOG.info("{}: {} answers after {} s of waiting: {} at revision {}", director, where,
                seconds(System.nanoTime() - start), key, r.getKvs().get(0).getModRevision());
          }
          return r;
        }
        what = Missing.KEY;
        problem = new IOException("etcd key " + key + " does not exist: store a configuration first (lbctl put)");
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        what = Missing.ETCD;
        problem = e;
      }
      failures++;
      long now = System.nanoTime();
      if (now - start > waitNanos) {
        throw new IOException(problem.getMessage() + " (tried for " + seconds(now - start) + " s)", problem);
      }
      if (failures == 1 || what != reason || now - warned >= START_WARN_EVERY.toNanos()) {
        warned = now;
        reason = what;
        LOG.warn("{}: {}; waiting for {} ({} s so far{}), next try in {} ms", director, problem.getMessage(),
            what.awaited, seconds(now - start),
            waitNanos == Long.MAX_VALUE ? "" : ", at most " + seconds(waitNanos), pause.toMillis());
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException i) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("waiting for " + (what == Missing.KEY ? "etcd key " + key : "etcd")
            + ": interrupted");
      }
    }
  }

  /** What a start-up waits for: etcd itself, or the key's first put. */
  private enum Missing {
    ETCD("etcd"), KEY("the first put");

    final String awaited;

    Missing(String awaited) {
      this.awaited = awaited;
    }
  }

  private static long seconds(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(nanos);
  }

  /** A duration in nanoseconds; one too long for that (up to ChronoUnit.FOREVER) is Long.MAX_VALUE: no end. */
  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The key a director registers under. */
  String directorKey(String name) {
    return key + DIRECTORS + name;
  }

  /** Waits for an etcd call within {@link #TIMEOUT}, translating its failure. */
  <T> T await(String what, CompletableFuture<T> f) throws IOException {
    return await(what, f, TIMEOUT);
  }

  <T> T await(String what, CompletableFuture<T> f, Duration timeout) throws IOException {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IOException(where + ": " + what + ": no answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new IOException(where + ": " + what + ": " + c.getMessage(), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    }
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** Closes the client if this store opened it. */
  @Override
  public void close() {
    if (owned) {
      client.close();
    }
  }
}

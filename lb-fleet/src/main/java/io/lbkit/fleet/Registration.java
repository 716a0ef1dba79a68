package io.lbkit.fleet;

import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A director's entry under {@code KEY/directors/NAME}, written under a lease kept alive
 * while the director runs: a killed director's entry goes after the lease's TTL. Used
 * on the director's thread only.
 */
final class Registration {
  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
  private final FleetStore store;
  private final String key;
  private final Duration ttl;
  private final Duration timeout;
  private long lease;
  private CloseableClient keepAlive;
  private String written;

  /**
   * @param timeout each call's deadline: short, since the director's thread waits (a failed write is retried at the
   *     next probe)
   */
  Registration(FleetStore store, String name, Duration ttl, Duration timeout) {
    this.store = store;
    this.key = store.directorKey(name);
    this.ttl = ttl;
    this.timeout = timeout;
  }

  /** Writes the entry if it changed (or the lease is new). */
  void write(String value) throws IOException {
    if (lease == 0) {
      grant();
    }
    if (value.equals(written)) {
      return;
    }
    try {
      store.await("put " + key, store.client().getKVClient().put(FleetStore.bytes(key), FleetStore.bytes(value),
          PutOption.builder().withLeaseId(lease).build()), timeout);
    } catch (IOException e) {
      forget(); // the lease may have expired meanwhile: granted again at the next write
      throw e;
    }
    written = value;
  }

  /** After etcd was unreachable: the lease may have expired there, so the next write takes a new one. */
  void forget() {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
    lease = 0;
    written = null;
  }

  private void grant() throws IOException {
    long seconds = Math.max(1, ttl.toSeconds());
    lease = store.await("grant lease", store.client().getLeaseClient().grant(seconds), timeout).getID();
    keepAlive = store.client().getLeaseClient().keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
      @Override
      public void onNext(LeaseKeepAliveResponse r) {}

      @Override
      public void onError(Throwable t) {
        LOG.debug("lease keep-alive for {} failed: {}", key, t.toString());
      }

      @Override
      public void onCompleted() {}
    });
    written = null;
  }

  /** Graceful stop: the entry goes at once (revoking the lease deletes it). */
  void revoke() {
    long l = lease;
    forget();
    if (l != 0) {
      try {
        store.await("revoke lease", store.client().getLeaseClient().revoke(l), Duration.ofSeconds(2));
      } catch (IOException e) {
        LOG.warn("{}: not deregistered ({}); the entry goes when its lease expires", key, e.getMessage());
      }
    }
  }
}

package io.lbkit.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the time of one watch event went on a director, logged at debug level (logger
 * {@code io.lbkit.fleet.ApplyTiming}) for the fleet's put-to-applied benchmark: the moment
 * the watch delivered it (wall clock), then the wait for the director's thread, the parse,
 * the runtime's reload (diff and dataplane batch), the status (announcement and the status
 * listener, e.g. lbctl run's "FLEET applied" line), each in microseconds, with the director
 * thread's CPU time over the same span (received to told), and then the registration's write
 * to etcd (after the listener, outside that span): a wall time well above the CPU time is time spent waiting (for the
 * scheduler on a loaded host, or the kernel's answer). Costs two clock reads per stage.
 * Used on the director's thread only, after its creation on the watch's thread.
 */
final class ApplyTiming {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyTiming.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final long receivedNanos;
  private final Instant received;
  private long dequeued;
  private long cpuAtDequeue;
  private long parsed;
  private long reloaded;
  private long told;
  private long cpuAtTold;

  private ApplyTiming(long receivedNanos, Instant received) {
    this.receivedNanos = receivedNanos;
    this.received = received;
  }

  /** A timing started now (on the watch's thread), or null when debug logging is off. */
  static ApplyTiming receivedNow() {
    return LOG.isDebugEnabled() ? new ApplyTiming(System.nanoTime(), Instant.now()) : null;
  }

  /** On the director's thread, before anything else. */
  void dequeued() {
    dequeued = System.nanoTime();
    cpuAtDequeue = cpu();
  }

  void parsed() {
    parsed = System.nanoTime();
  }

  void reloaded() {
    reloaded = System.nanoTime();
  }

  /** The status listener was told the new status. */
  void told() {
    told = System.nanoTime();
    cpuAtTold = cpu();
  }

  /** After the registration's write (the end of the event's work); logs the line. */
  void registered(String name, long revision, String outcome) {
    long end = System.nanoTime();
    long t = told == 0 ? end : told;
    long cpu = cpuAtDequeue < 0 || cpuAtTold < 0 ? -1 : (told == 0 ? cpu() : cpuAtTold) - cpuAtDequeue;
    long p = parsed == 0 ? dequeued : parsed;
    long r = reloaded == 0 ? p : reloaded;
    LOG.debug("{}: TIMING revision {} {} received {} queue_us {} parse_us {} reload_us {} status_us {} total_us {} "
        + "cpu_us {} register_us {}", name, revision, outcome, received, us(dequeued - receivedNanos),
        us(p - dequeued), us(r - p), us(t - r), us(t - receivedNanos), cpu < 0 ? -1 : cpu / 1000, us(end - t));
  }

  private static long us(long nanos) {
    return nanos / 1000;
  }

  private static long cpu() {
    try {
      return THREADS.getCurrentThreadCpuTime();
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }
}

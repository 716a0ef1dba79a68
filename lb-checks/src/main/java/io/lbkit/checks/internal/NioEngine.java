package io.lbkit.checks.internal;

import io.lbkit.api.TimerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one {@link Selector}: every socket of every network check is a state
 * machine driven from here, so thousands of checks in flight cost one thread. Deadlines
 * are kept in a heap on the loop thread and fire within a millisecond of due.
 *
 * <p>The engine is also a {@link TimerService} on real time whose timers fire on the
 * loop thread itself: a scheduler driven by it launches each attempt, runs its socket
 * and takes its verdict without any hand-off between threads (no selector wakeup, no
 * timer thread) — the cheap path for thousands of checks.
 *
 * <p>Only {@link #execute}, {@link #schedule} and {@link #close} may be called from
 * other threads; the rest is for code already running on the loop.
 */
public final class NioEngine implements AutoCloseable, TimerService {
  private static final Logger LOG = LoggerFactory.getLogger(NioEngine.class);

  /** Readiness callback of a registered channel. */
  public interface Handler {
    /** The channel is ready for the key's ready ops. */
    void onReady(SelectionKey key);
  }

  /** A deadline on the loop thread; cancel when the work finished first. */
  public static final class Deadline implements TimerService.Cancellable {
    final long due;
    final Runnable task;
    private final NioEngine engine;
    volatile boolean cancelled; // set from any thread by cancel(); read on the loop
    DeadlineHeap heap; // where it waits (loop thread only)
    int slot;

    Deadline(NioEngine engine, long due, Runnable task) {
      this.engine = engine;
      this.due = due;
      this.task = task;
    }

    /**
     * Stops it from firing (any thread). On the loop thread it also leaves the heap at
     * once; from elsewhere it is dropped when it comes due.
     */
    @Override
    public void cancel() {
      cancelled = true;
      if (heap != null && engine.inLoop()) {
        heap.remove(this);
      }
    }
  }

  private final Selector selector;
  private final Thread thread;
  private final java.util.concurrent.CountDownLatch setUp = new java.util.concurrent.CountDownLatch(1);
  private volatile RuntimeException setupFailure;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final DeadlineHeap deadlines = new DeadlineHeap();
  /** Channels whose keys were cancelled, to close once a select has deregistered them. */
  private List<java.nio.channels.Channel> closing = new ArrayList<>();
  private List<java.nio.channels.Channel> closingNext = new ArrayList<>();
  /** One read buffer for every plaintext session: dialogs consume all they are given. */
  private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
  /**
   * What plaintext sessions read into: native memory, so a read is one read(2) with no trip through the JDK's
   * per-thread temporary direct buffers; what came is then copied into {@link #readBuffer} for the dialogs.
   */
  private final ByteBuffer nativeReadBuffer = ByteBuffer.allocateDirect(16 * 1024);
  private volatile boolean running = true;
  private final boolean resetOnClose;
  private final LagHistogram lag = new LagHistogram();

  private NioEngine(String name, boolean resetOnClose) {
    this(name, resetOnClose, null);
  }

  private NioEngine(String name, boolean resetOnClose, Runnable setup) {
    this.resetOnClose = resetOnClose;
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for health checks", e);
    }
    thread = new Thread(() -> run(setup), name);
    thread.setDaemon(true);
  }

  /** Starts an engine on a new daemon thread named {@code name}; its checks close with a reset. */
  public static NioEngine start(String name) {
    return start(name, true);
  }

  /**
   * Starts an engine on a new daemon thread named {@code name}. With {@code resetOnClose}
   * every finished TCP check connection is closed with a reset (SO_LINGER 0); without it
   * only failed ones are, and the rest close with a FIN.
   */
  public static NioEngine start(String name, boolean resetOnClose) {
    NioEngine e = new NioEngine(name, resetOnClose);
    e.thread.start();
    return e;
  }

  /**
   * As {@link #start(String, boolean)}, running {@code setup} first on the loop thread
   * (e.g. to move it into a network namespace, so the check sockets it opens are there)
   * and waiting for it, at most 10 s.
   *
   * @throws IllegalStateException when setup threw (the engine is closed) or did not end in time
   */
  public static NioEngine start(String name, boolean resetOnClose, Runnable setup) {
    NioEngine e = new NioEngine(name, resetOnClose, setup);
    e.thread.start();
    try {
      if (!e.setUp.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        e.close();
        throw new IllegalStateException("the check thread's setup did not finish within 10 s");
      }
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      e.close();
      throw new IllegalStateException("interrupted while the check thread was set up", x);
    }
    if (e.setupFailure != null) {
      e.close();
      throw new IllegalStateException("cannot set up the check thread: " + e.setupFailure.getMessage(),
          e.setupFailure);
    }
    return e;
  }

  private void run(Runnable setup) {
    if (setup != null) {
      try {
        setup.run();
      } catch (RuntimeException x) {
        setupFailure = x;
      }
      setUp.countDown();
      if (setupFailure != null) {
        return;
      }
    }
    loop();
  }

  /** Whether finished check connections close with a reset (see {@link #start(String, boolean)}). */
  boolean resetOnClose() {
    return resetOnClose;
  }

  /** Runs {@code task} on the loop thread (soon; in submission order). */
  public void execute(Runnable task) {
    tasks.add(task);
    if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** True on the loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Registers a channel (loop thread only). */
  public SelectionKey register(SelectableChannel ch, int ops, Handler h) throws IOException {
    return ch.register(selector, ops, h);
  }

  /**
   * Cancels {@code key} and closes {@code ch} right after the next select has taken it out
   * of the epoll set (loop thread only; at once when {@code key} is null). Closing a
   * channel that is still registered makes the JDK probe SO_LINGER and shut the output
   * down first (two more system calls, and a FIN even when SO_LINGER 0 asked for a
   * reset); a deregistered one is closed with one close(2) that honours SO_LINGER.
   */
  public void closeAfterSelect(SelectionKey key, java.nio.channels.Channel ch) {
    if (key == null) {
      closeQuietly(ch);
      return;
    }
    key.cancel();
    closing.add(ch);
  }

  /** Runs {@code task} on the loop after {@code nanos} unless cancelled (loop thread only). */
  public Deadline deadline(long nanos, Runnable task) {
    Deadline d = new Deadline(this, System.nanoTime() + nanos, task);
    deadlines.add(d);
    return d;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  /** Runs {@code task} on the loop thread after {@code delay} (any thread). */
  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Deadline d = new Deadline(this, System.nanoTime() + Math.max(0, delay.toNanos()), task);
    if (inLoop()) {
      deadlines.add(d);
    } else {
      execute(() -> deadlines.add(d));
    }
    return d;
  }

  /** The loop's shared plaintext read buffer (loop thread only; cleared by each user). */
  ByteBuffer readBuffer() {
    return readBuffer;
  }

  /** The direct buffer plaintext sessions read into, as large as {@link #readBuffer} (loop thread only). */
  ByteBuffer nativeReadBuffer() {
    return nativeReadBuffer;
  }

  /** How late this loop ran its due deadlines (timers and timeouts), for monitoring and benchmarks. */
  public LagHistogram lag() {
    return lag;
  }

  /** How many channels are registered (a gauge for benchmarks). */
  public int channels() {
    return selector.keys().size();
  }

  private static void dispatch(SelectionKey k) {
    if (!k.isValid()) {
      return;
    }
    try {
      ((Handler) k.attachment()).onReady(k);
    } catch (RuntimeException e) {
      LOG.error("health-check handler failed (bug)", e);
    }
  }

  private void loop() {
    java.util.function.Consumer<SelectionKey> onReady = NioEngine::dispatch;
    List<Deadline> due = new ArrayList<>();
    while (running) {
      try {
        turn(onReady, due);
      } catch (IOException e) {
        LOG.error("health-check selector failed; retrying", e);
      }
    }
    for (SelectionKey k : selector.keys()) {
      closeQuietly(k.channel());
    }
    closeAll(closing);
    closeAll(closingNext);
    closeQuietly(selector);
  }

  /**
   * One turn of the loop: select (or poll when work is due), close what the select
   * deregistered, run the queued tasks, fire the due deadlines. A method of its own, called
   * once per turn, so that the JIT compiles it like any other: {@link #loop} is entered
   * once, and under {@code lbctl run}'s C1-only JVM it was never OSR-compiled (its body
   * stayed in the interpreter, minutes in; PrintCompilation).
   */
  private void turn(java.util.function.Consumer<SelectionKey> onReady, List<Deadline> due) throws IOException {
    long wait = 0;
    Deadline next = peekLive();
    if (tasks.isEmpty()) {
      long nanos = next == null ? 1_000_000_000L : next.due - System.nanoTime();
      wait = nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000); // overdue: do not block at all
    }
    // channels cancelled before this select are deregistered by it: close them after it,
    // and do not leave them open for long when the loop is otherwise idle
    List<java.nio.channels.Channel> closeNow = closing;
    closing = closingNext;
    closingNext = closeNow;
    if (!closeNow.isEmpty()) {
      wait = Math.min(wait, 1);
    }
    // the ready keys go straight to their handlers: no selected-key set to fill and empty
    if (wait == 0) {
      selector.selectNow(onReady);
    } else {
      selector.select(onReady, wait);
    }
    wakeupPending.set(false);
    closeAll(closeNow);
    for (int n = tasks.size(); n > 0; n--) {
      Runnable r = tasks.poll();
      if (r == null) {
        break;
      }
      safely(r);
    }
    long now = System.nanoTime();
    while ((next = peekLive()) != null && next.due <= now) {
      due.add(deadlines.poll());
    }
    for (int i = 0; i < due.size(); i++) { // indexed: no iterator per turn (C1 does not elide it)
      Deadline d = due.get(i);
      if (!d.cancelled) {
        d.cancelled = true;
        lag.record(System.nanoTime() - d.due);
        safely(d.task);
      }
    }
    due.clear();
  }

  private static void closeAll(List<java.nio.channels.Channel> channels) {
    for (int i = 0; i < channels.size(); i++) {
      closeQuietly(channels.get(i));
    }
    channels.clear();
  }

  private Deadline peekLive() {
    Deadline d;
    while ((d = deadlines.peek()) != null && d.cancelled) {
      deadlines.poll();
    }
    return d;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("health-check task failed (bug)", e);
    }
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("close failed: {}", e.toString());
    }
  }

  /** Stops the loop and closes every channel; waits up to 2 s for the thread. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (!inLoop()) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

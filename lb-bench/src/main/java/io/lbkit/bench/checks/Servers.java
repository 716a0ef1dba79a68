package io.lbkit.bench.checks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** The benchmarks' HTTP backends: in this JVM ({@link Backends}) or a separate process ({@link NativeBackends}). */
interface Servers extends AutoCloseable {
  /** Where each backend listens. */
  List<InetSocketAddress> addresses();

  /** Backend {@code i} stops listening: connections are refused. */
  void kill(int i);

  /** Backend {@code i} accepts but never answers. */
  void hang(int i);

  /**
   * System.nanoTime() when the last kill or hang of backend {@code i} took effect in the
   * server, or -1 if not known (yet).
   */
  long appliedAt(int i);

  /** Responses served so far. */
  long served();

  /** What serves them, for the report. */
  String describe();

  @Override
  void close() throws IOException;
}

package io.lbkit.cli;

import io.lbkit.netlink.Natives;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.Date;

/**
 * One-time start-up work {@code lbctl run} needs within its first few hundred milliseconds,
 * begun on a daemon thread as {@code main} starts, so that it runs on the second core
 * while the main thread builds the command line and reads the file: the JDK's locale,
 * calendar and time-zone data behind the log lines' time (slf4j-simple's date format; the
 * first {@link SimpleDateFormat} costs ~60 ms of CPU interpreted) and
 * {@link Instant#toString()} (the printed events), and lb-netlink's native layer
 * ({@link Natives#load()}: JNA, which runs {@code ldconfig -p} once, and the C library
 * binding). Only JDK classes and lb-netlink's native binding are initialised here, no
 * logging or other lbkit state, so the main thread either finds them ready or waits for
 * their initialisation as it would have done it itself.
 */
final class Warmup {
  private Warmup() {}

  /** Starts the warm-up thread. */
  static void start() {
    Thread t = new Thread(Warmup::run, "lbctl-warmup");
    t.setDaemon(true);
    t.start();
  }

  private static void run() {
    new SimpleDateFormat("HH:mm:ss.SSS").format(new Date());
    Instant.now().toString();
    try {
      Natives.load();
    } catch (LinkageError e) {
      // the first socket fails on the main thread, but then only with "Could not initialize class": the cause is here
      System.err.println("lbctl run: the native layer (JNA) cannot be loaded: " + Text.safe(String.valueOf(e)));
    }
  }
}

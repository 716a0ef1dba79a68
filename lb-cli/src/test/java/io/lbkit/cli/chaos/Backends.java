package io.lbkit.cli.chaos;

import io.lbkit.harness.netns.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The director chaos run's real servers: one python3 process ({@code backends.py} beside this
 * class) listening on 127.0.0.1 at each port inside the director's namespace, where the health
 * checks of an {@code lbctl run} started inside it come from. Each port's behaviour is switched
 * at once by a line on the process's stdin; the process ends when stdin closes or after its
 * own time limit.
 */
final class Backends implements AutoCloseable {
  /** How a real server behaves towards new connections. */
  enum Mode {
    /** Answers 200 with a 3-byte body. */
    HEALTHY,
    /** Its listener closed: connections refused, as after a kill. */
    DOWN,
    /** Sends the header and 10 of 1000 body bytes, then nothing. */
    STALL,
    /** Sends a 1 GiB body (Content-Length 1073741824), at most 128 MiB/s. */
    HUGE,
    /** Accepts and never answers. */
    SILENT
  }

  /** One finished 1 GiB answer: how much was sent before the checker closed, in how long. */
  record Huge(int port, long bytes, double seconds) {}

  private final Process process;
  private final Writer control;
  private final LinkedBlockingQueue<String> acks = new LinkedBlockingQueue<>();
  private final List<Huge> huge = new CopyOnWriteArrayList<>();

  Backends(NetNs ns, Path log, int maxSeconds, List<Integer> ports) throws IOException {
    Path script;
    try {
      script = Path.of(Backends.class.getResource("backends.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "python3", "-u", script.toString(),
        Integer.toString(maxSeconds)));
    ports.forEach(p -> argv.add(Integer.toString(p)));
    process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    control = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    Thread reader = new Thread(() -> read(log), "chaos-backends");
    reader.setDaemon(true);
    reader.start();
    String first = await("ready");
    if (first == null) {
      close();
      throw new IllegalStateException("backends.py did not start; see " + log);
    }
  }

  private void read(Path log) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        String[] f = line.split(" ");
        if (f[0].equals("huge") && f.length == 6) {
          huge.add(new Huge(Integer.parseInt(f[1]), Long.parseLong(f[3]), Double.parseDouble(f[5])));
        } else {
          acks.add(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      acks.add("reader failed: " + e);
    }
  }

  /** The next control line starting with {@code prefix} within 10 s, or null. */
  private String await(String prefix) {
    long end = System.nanoTime() + 10_000_000_000L;
    try {
      while (System.nanoTime() < end) {
        String l = acks.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (l != null && l.startsWith(prefix)) {
          return l;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** Switches {@code port} to {@code mode}; returns once the process has it in force. */
  void set(int port, Mode mode) throws IOException {
    String m = mode.name().toLowerCase(Locale.ROOT);
    control.write(port + " " + m + "\n");
    control.flush();
    if (await("ok " + port + " " + m) == null) {
      throw new IllegalStateException("backends.py did not switch " + port + " to " + m);
    }
  }

  /** The 1 GiB answers that have ended so far. */
  List<Huge> huge() {
    return List.copyOf(huge);
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    try {
      control.close();
    } catch (IOException e) {
      // the process is gone already; it is killed below if not
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

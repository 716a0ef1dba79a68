package io.lbkit.bench.checks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The backends as a separate native process ({@code scripts/backends.c}, one epoll loop), so
 * that serving costs only its own CPU, in its own process: the checker's numbers are its own.
 * Commands go over the child's stdin; it exits when this JVM does (EOF on its stdin).
 */
final class NativeBackends implements Servers {
  private final Process process;
  private final OutputStream control;
  private final List<InetSocketAddress> addresses = new ArrayList<>();
  private volatile long served;
  private final java.util.Map<Integer, Long> applied = new java.util.concurrent.ConcurrentHashMap<>();

  NativeBackends(Path binary, int count, int seconds) throws IOException, InterruptedException {
    Path file = Files.createTempFile("lbkit-backends", ".txt");
    Files.delete(file);
    process = new ProcessBuilder(binary.toString(), Integer.toString(count), Integer.toString(seconds),
        file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    control = process.getOutputStream();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("backends did not start (exit " + (process.isAlive() ? "none" : process.exitValue())
            + ")");
      }
      Thread.sleep(20);
    }
    for (String l : Files.readAllLines(file)) {
      String[] f = l.trim().split(" ");
      addresses.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
    }
    Files.delete(file);
    Thread reader = new Thread(this::readServed, "bench-backends-out");
    reader.setDaemon(true);
    reader.start();
  }

  private void readServed() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.US_ASCII))) {
      String l;
      while ((l = r.readLine()) != null) {
        if (l.startsWith("served ")) {
          served = Long.parseLong(l.substring(7).trim());
        } else if (l.startsWith("ack ")) {
          String[] f = l.split(" ");
          applied.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      System.err.println("backends output: " + e);
    }
  }

  /** The backends' process, e.g. to read its CPU time from /proc. */
  long pid() {
    return process.pid();
  }

  @Override
  public List<InetSocketAddress> addresses() {
    return addresses;
  }

  @Override
  public void kill(int i) {
    send("k " + i);
  }

  @Override
  public void hang(int i) {
    send("h " + i);
  }

  private void send(String command) {
    try {
      control.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      control.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("backends process gone", e);
    }
  }

  @Override
  public long appliedAt(int i) {
    return applied.getOrDefault(i, -1L);
  }

  @Override
  public long served() {
    return served;
  }

  @Override
  public String describe() {
    return "native epoll server, separate process " + process.pid();
  }

  @Override
  public void close() {
    try {
      send("q");
    } catch (java.io.UncheckedIOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

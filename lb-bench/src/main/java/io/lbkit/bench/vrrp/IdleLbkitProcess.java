package io.lbkit.bench.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpInstance;
import io.lbkit.vrrp.VrrpRouter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link IdleCostBench}'s lbkit side in a JVM of its own (started with the bench's JVM
 * options), so that it is measured from outside as keepalived is (its threads' schedstat),
 * and the bench's own work (sleeping, sampling, JMX, printing, and the JIT compiling all
 * that) is not counted as lbkit's. Its main thread blocks on stdin, answering two
 * commands: {@code mark} (remember the advert count and the bytes each thread allocated)
 * and {@code report} (print the advert count, the instances in the expected state and the
 * bytes allocated per thread since the mark); it ends at the end of stdin.
 */
final class IdleLbkitProcess implements AutoCloseable {
  private static final String TAG = "@@";
  private final Process process;
  private final PrintStream in;
  // The child's answers; its other output (e.g. -XX:+PrintCompilation) is echoed as it comes, so a full pipe
  // never blocks it.
  private final java.util.concurrent.BlockingQueue<String> answers = new java.util.concurrent.LinkedBlockingQueue<>();

  private IdleLbkitProcess(Process process) {
    this.process = process;
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread drain = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(TAG)) {
            answers.add(line.substring(TAG.length()));
          } else {
            System.out.println("lbkit-jvm| " + line);
          }
        }
      } catch (IOException e) {
        System.err.println("lbkit JVM output: " + e);
      }
      answers.add("end");
    }, "lbkit-jvm-output");
    drain.setDaemon(true);
    drain.start();
  }

  /** Starts N instances at {@code prio} in {@code ns}, with this JVM's options; returns when they run. */
  static IdleLbkitProcess start(String ns, int n, int prio, String counter) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleLbkitProcess.class.getName(), ns,
        Integer.toString(n), Integer.toString(prio), counter));
    IdleLbkitProcess p = new IdleLbkitProcess(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start());
    p.await("ready");
    return p;
  }

  long pid() {
    return process.pid();
  }

  /** Marks the start of the window (in the child: the counters now). */
  void mark() throws IOException {
    in.println("mark");
    await("marked");
  }

  /** The child's report since the mark: {@code packets states alloc-total name=bytes...}. */
  String[] report() throws IOException {
    in.println("report");
    return await("report").split(" ");
  }

  /** The child's next answer, which must be {@code @@word ...} (within 60 s): what follows the word. */
  private String await(String word) throws IOException {
    String line;
    try {
      line = answers.poll(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for the lbkit JVM's '" + word + "'", e);
    }
    if (line == null || !line.startsWith(word)) {
      throw new IOException("the lbkit JVM answered " + line + " where '" + word + "' was due (exit "
          + (process.isAlive() ? "not yet" : waitExit()) + ")");
    }
    return line.substring(word.length()).trim();
  }

  private int waitExit() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Ends the child: end of its stdin (it closes its router), killed if it does not end in 10 s. */
  @Override
  public void close() {
    in.close();
    if (waitExit() == -1) {
      process.destroyForcibly();
    }
  }

  /** The child: {@code ns n prio counter}. */
  public static void main(String[] args) throws Exception {
    String ns = args[0];
    int n = Integer.parseInt(args[1]);
    int prio = Integer.parseInt(args[2]);
    String counter = args[3];
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    VrrpRouter.Builder b = VrrpRouter.builder(RawVrrpTransport.open(ns), BenchNet.ipAddresses(ns),
        TimerService.system(exec)); // the transport's link status: eth0 in ns, followed by netlink link events
    for (int i = 1; i <= n; i++) {
      VrrpInstanceSpec.Builder s = VrrpInstanceSpec.builder("VI_" + i, "eth0", i).priority(prio)
          .virtualAddresses(List.of(VirtualAddress.of(IdleCostBench.vip(i))));
      s.garpMasterDelay = Duration.ZERO;
      s.garpMasterRepeat = 1;
      b.instance(s.build());
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (VrrpRouter r = b.build()) {
      r.start();
      System.out.println(TAG + "ready");
      long packets0 = 0;
      Map<String, Long> alloc0 = Map.of();
      String cmd;
      while ((cmd = stdin.readLine()) != null) {
        if (cmd.equals("mark")) {
          packets0 = count(r, counter);
          alloc0 = allocated(threads);
          System.out.println(TAG + "marked");
        } else if (cmd.equals("report")) {
          long packets = count(r, counter) - packets0;
          long states = r.instances().stream()
              .filter(i -> i.state().name().equals(prio > 100 ? "MASTER" : "BACKUP")).count();
          StringBuilder line = new StringBuilder(TAG + "report " + packets + " " + states);
          long total = 0;
          StringBuilder each = new StringBuilder();
          for (var e : allocated(threads).entrySet()) {
            long d = e.getValue() - alloc0.getOrDefault(e.getKey(), 0L);
            total += d;
            if (d > 0) {
              each.append(' ').append(e.getKey()).append('=').append(d);
            }
          }
          System.out.println(line.append(' ').append(total).append(each));
        }
      }
    } finally {
      exec.shutdownNow();
    }
  }

  private static long count(VrrpRouter r, String counter) {
    return r.instances().stream().map(VrrpInstance::counters).mapToLong(c -> c.get(counter)).sum();
  }

  /** Bytes allocated by every thread but this (main) one, by thread name (spaces replaced). */
  private static Map<String, Long> allocated(com.sun.management.ThreadMXBean t) {
    Map<String, Long> m = new java.util.TreeMap<>();
    long me = Thread.currentThread().getId();
    for (var info : t.getThreadInfo(t.getAllThreadIds())) {
      if (info != null && info.getThreadId() != me) {
        long b = t.getThreadAllocatedBytes(info.getThreadId());
        m.merge(info.getThreadName().replace(' ', '_') + "#" + info.getThreadId(), Math.max(0, b), Long::sum);
      }
    }
    return m;
  }
}

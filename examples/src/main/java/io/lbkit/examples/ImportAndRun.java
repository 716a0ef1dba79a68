package io.lbkit.examples;

import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import io.lbkit.runtime.Changes;
import io.lbkit.runtime.LoadBalancerRuntime;
import io.lbkit.runtime.RuntimeListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * An existing keepalived.conf, imported and run by a Java application: diagnostics
 * first (file:line, as keepalived would report them), then everything the file
 * describes run by lb-runtime's {@link LoadBalancerRuntime}, as {@code lbctl run} runs
 * it: static addresses and routes, VRRP instances, the virtual servers and their
 * health checks.
 *
 * <p>{@code java -cp lbkit-examples.jar io.lbkit.examples.ImportAndRun /etc/keepalived/keepalived.conf}
 * needs root (raw VRRP sockets, IPVS, addresses); it prints each VRRP transition,
 * health change and IPVS change, and runs until stopped (Ctrl-C stops gracefully).
 * Without the import step it is three lines:
 *
 * <pre>{@code
 * try (LoadBalancerRuntime lb = LoadBalancerRuntime.start(Path.of("/etc/keepalived/keepalived.conf"))) {
 *   Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class ImportAndRun {
  private ImportAndRun() {}

  /**
   * Imports {@code file}, printing its diagnostics to {@code err}.
   *
   * @return its spec, or null if it has errors
   */
  public static LoadBalancerSpec importFile(Path file, PrintStream err) throws IOException {
    KeepalivedConfig config = KeepalivedConfig.parse(file);
    for (Diagnostic d : config.diagnostics()) {
      err.println(d.format());
    }
    return config.hasErrors() ? null : config.spec();
  }

  /**
   * Runs the imported spec on {@code runtime} (the kernel's adapters from
   * {@code LoadBalancerRuntime.builder()}, or fakes in a test), printing what happens to
   * {@code out}.
   */
  public static LoadBalancerRuntime run(LoadBalancerSpec spec, LoadBalancerRuntime.Builder runtime, PrintStream out)
      throws IOException {
    return runtime.listener(new RuntimeListener() {
      @Override
      public void vrrpStateChanged(String instance, VrrpState from, VrrpState to, String reason) {
        out.println(instance + ": " + from + " -> " + to + " (" + reason + ")");
      }

      @Override
      public void healthChanged(HealthEvent e) {
        out.println(e.real() + (e.up() ? " UP " : " DOWN ") + e.reason());
      }

      @Override
      public void applied(Changes c) {
        c.ipvs().applied().forEach(op -> out.println("ipvsadm " + op));
        c.network().forEach(out::println);
      }
    }).start(spec);
  }

  /** Imports and runs the file named by the first argument; see the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ImportAndRun KEEPALIVED.CONF");
      System.exit(2);
    }
    LoadBalancerSpec spec = importFile(Path.of(args[0]), System.err);
    if (spec == null) {
      System.exit(1);
    }
    LoadBalancerRuntime lb = run(spec, LoadBalancerRuntime.builder(), System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C / SIGTERM: priority 0, VIPs removed
      try {
        lb.close();
      } catch (IOException e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }));
    System.out.println(lb.status().toJson());
    Thread.currentThread().join(); // until Ctrl-C
  }
}

package io.lbkit.examples;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.TimerService;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.config.keepalived.Diagnostic;
import io.lbkit.config.keepalived.KeepalivedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * An existing keepalived.conf, imported and run by a Java application: diagnostics
 * first (file:line, as keepalived would report them), then its virtual servers and
 * health checks under a {@link LoadBalancer}. VRRP is left out here to keep the example
 * about the import; {@code lbctl run} is the same with VRRP.
 *
 * <p>{@code java -cp lbctl.jar io.lbkit.examples.ImportAndRun /etc/keepalived/keepalived.conf}:
 * on the kernel's IPVS when root, else on {@code FakeIpvs}; prints the table and runs
 * until stopped.
 */
public final class ImportAndRun {
  private ImportAndRun() {}

  /**
   * Imports {@code file}, printing its diagnostics to {@code err}.
   *
   * @return its spec without VRRP instances, or null if it has errors
   */
  public static LoadBalancerSpec importFile(Path file, PrintStream err) throws IOException {
    KeepalivedConfig config = KeepalivedConfig.parse(file);
    for (Diagnostic d : config.diagnostics()) {
      err.println(d.format());
    }
    return config.hasErrors() ? null : config.spec().withVrrpInstances(List.of());
  }

  /** Runs the imported virtual servers and their checks on this IPVS. */
  public static LoadBalancer run(LoadBalancerSpec spec, Ipvs ipvs, TimerService timers) throws IOException {
    LoadBalancer lb = LoadBalancer.builder(ipvs)
        .healthChecking(listener -> MonitoredServices.create(HealthMonitor.builder(timers), listener))
        .withoutFailover() // this example runs the virtual servers only, not the file's VRRP
        .purgeUnmanaged(spec.globals().lvsFlush())
        .clearOnStop(spec.globals().lvsFlushOnStop())
        .build();
    lb.apply(spec);
    return lb;
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
    Ipvs ipvs = SeedDirector.kernelIpvs();
    LoadBalancer lb = run(spec, ipvs, TimerService.system(Executors.newScheduledThreadPool(1)));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        lb.close();
      } catch (IOException e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }));
    lb.addHealthListener(e -> System.out.println(e.real() + (e.up() ? " UP" : " DOWN") + " " + e.reason()));
    System.out.print(IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true));
    Thread.currentThread().join(); // until Ctrl-C
  }
}

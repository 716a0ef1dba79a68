package io.lbkit.examples;

import io.lbkit.api.LoadBalancer;
import io.lbkit.api.LoadBalancerSpec;
import io.lbkit.api.RealServer;
import io.lbkit.api.TimerService;
import io.lbkit.api.VirtualService;
import io.lbkit.api.check.CheckTiming;
import io.lbkit.api.check.HttpCheck;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.vrrp.Failover;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.checks.HealthMonitor;
import io.lbkit.checks.MonitoredServices;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.NetlinkIpvs;
import io.lbkit.testing.FakeIpvs;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpFailover;
import io.lbkit.vrrp.VrrpRouter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The seed's director (the keepalived LVS-DR set-up described in examples/README.md:
 * VIP 192.168.0.200:80, round robin, direct routing to 192.168.0.61 and .62, HTTP_GET
 * /test.html, VRRP instance V_W) in fluent Java instead of a keepalived.conf. {@link #spec} is the whole configuration; {@link #start} runs it.
 *
 * <p>{@code java -cp lbkit-examples.jar io.lbkit.examples.SeedDirector [IFACE [PRIORITY]]}: with
 * root and a kernel with IPVS it programs the kernel and runs VRRP on IFACE (default
 * eth0); otherwise it runs on {@link FakeIpvs} with VRRP off. It prints the
 * {@code ipvsadm -L -n} table and the status, then runs until stopped.
 */
public final class SeedDirector {
  private SeedDirector() {}

  /** The seed's configuration with these real servers (the seed's: 192.168.0.61:80 and .62:80). */
  public static LoadBalancerSpec spec(String iface, int priority, List<RealServer> reals) {
    HttpCheck get = HttpCheck.get("/test.html").status(200)
        .timing(CheckTiming.DEFAULT.connectTimeout(Duration.ofSeconds(5)).retry(3, Duration.ofSeconds(3)));
    VirtualService web = VirtualService.tcp("192.168.0.200", 80).rr().dr().delayLoop(Duration.ofSeconds(6));
    for (RealServer r : reals) {
      web = web.add(r.weight(1).inhibitOnFailure().check(get));
    }
    VrrpInstanceSpec vw = VrrpInstanceSpec.builder("V_W", iface, 51).priority(priority).preempt(false)
        .authPass("1111").virtualAddresses(List.of(VirtualAddress.of("192.168.0.200"))).build();
    return LoadBalancerSpec.of(List.of(web)).withVrrpInstances(List.of(vw));
  }

  /** Runs {@code spec} on these adapters ({@code failover} may be null: no VRRP). */
  public static LoadBalancer start(LoadBalancerSpec spec, Ipvs ipvs, Failover failover, TimerService timers)
      throws IOException {
    LoadBalancer.Builder b = LoadBalancer.builder(ipvs)
        .healthChecking(listener -> MonitoredServices.create(HealthMonitor.builder(timers), listener));
    LoadBalancer lb = (failover == null ? b.withoutFailover() : b.failover(failover)).build();
    lb.apply(spec);
    return lb;
  }

  /** Runs the seed director; see the class comment. */
  public static void main(String[] args) throws Exception {
    // (addresses and the timer thread live until the JVM exits)
    String iface = args.length > 0 ? args[0] : "eth0";
    int priority = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
    TimerService timers = TimerService.system(pool);
    LoadBalancerSpec spec = spec(iface, priority, List.of(RealServer.of("192.168.0.61", 80),
        RealServer.of("192.168.0.62", 80)));
    Ipvs ipvs = kernelIpvs();
    boolean kernel = !(ipvs instanceof FakeIpvs);
    NetlinkAddressManager addresses = kernel ? NetlinkAddressManager.open() : null;
    Failover vrrp = !kernel ? null : VrrpFailover.create(() ->
        VrrpRouter.builder(RawVrrpTransport.open(null), addresses, timers));
    LoadBalancer lb = start(kernel ? spec : spec.withVrrpInstances(List.of()), ipvs, vrrp, timers);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C / SIGTERM: priority 0, VIP removed
      try {
        lb.close();
      } catch (IOException e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }));
    System.out.println((kernel ? "kernel IPVS" : "FakeIpvs (not root, or no IPVS): VRRP off") + "\n"
        + IpvsadmFormat.list(ipvs.info(), ipvs.services(), IpvsadmFormat.View.DEFAULT, true));
    System.out.println(lb.status().toJson());
    Thread.currentThread().join(); // until Ctrl-C
  }

  /** The kernel's IPVS if this process may program it, else a {@link FakeIpvs}. */
  static Ipvs kernelIpvs() {
    try {
      Ipvs ipvs = NetlinkIpvs.open();
      ipvs.info();
      return ipvs;
    } catch (IOException | RuntimeException | LinkageError e) {
      return new FakeIpvs();
    }
  }
}

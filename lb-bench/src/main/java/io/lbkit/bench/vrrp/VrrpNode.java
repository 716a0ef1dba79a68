package io.lbkit.bench.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * One lbkit VRRP router process for the failover benchmark:
 * {@code VrrpNode NETNS VERSION PRIORITY ADVERT_MS VIP}; SIGTERM stops it gracefully.
 * VIPs through lb-netlink's {@link NetlinkAddressManager}, the timers on a
 * single-thread scheduled executor: as {@code lbctl run} runs an instance.
 */
public final class VrrpNode {
  private VrrpNode() {}

  /** Entry point. */
  public static void main(String[] a) throws Exception {
    String ns = a[0];
    VrrpInstanceSpec.Builder b = VrrpInstanceSpec.builder("VI_1", "eth0", 51).version(Integer.parseInt(a[1]))
        .priority(Integer.parseInt(a[2])).advertInterval(Duration.ofMillis(Integer.parseInt(a[3])))
        .virtualAddresses(List.of(VirtualAddress.of(a[4])));
    b.garpMasterDelay = Duration.ZERO;
    b.garpMasterRepeat = 1;
    var exec = Executors.newSingleThreadScheduledExecutor();
    NetlinkAddressManager addresses = NetlinkAddressManager.open(ns); // as lbctl run does
    VrrpRouter r = VrrpRouter.builder(RawVrrpTransport.open(ns), addresses, TimerService.system(exec))
        .instance(b.build()).build(); // the transport's link status: eth0 in ns, by netlink link events
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      r.close();
      try {
        addresses.close();
      } catch (java.io.IOException e) {
        System.err.println("closing the netlink socket: " + e.getMessage());
      }
      done.countDown();
    }));
    r.start();
    System.out.println("started");
    done.await();
  }
}

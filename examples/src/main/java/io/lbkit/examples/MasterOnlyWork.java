package io.lbkit.examples;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.vrrp.InMemoryVrrpNetwork;
import io.lbkit.vrrp.VrrpRouter;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Failover embedded in an application: of several copies of it, only the VRRP master
 * does the work (a scheduler, a queue consumer, a singleton job), and a backup takes
 * over within the master-down interval when the master dies. The work starts on the
 * transition to MASTER and stops on any transition out of it (BACKUP when a higher
 * priority appears, FAULT when the link goes down, STOP on close).
 *
 * <pre>{@code
 * MasterOnlyWork w = MasterOnlyWork.start(VrrpRouter.builder(RawVrrpTransport.open(null),
 *     NetlinkAddressManager.open(), timers).linkStatus(i -> true), spec, job::start, job::stop);
 * }</pre>
 *
 * <p>{@code java -cp lbctl.jar io.lbkit.examples.MasterOnlyWork} runs two copies on an
 * in-memory link, stops the master after a while and shows the other taking over.
 */
public final class MasterOnlyWork implements AutoCloseable {
  private final VrrpRouter router;
  private final String instance;
  private final Runnable startWork;
  private final Runnable stopWork;
  private boolean working;

  private MasterOnlyWork(VrrpRouter.Builder builder, VrrpInstanceSpec spec, Runnable startWork, Runnable stopWork) {
    this.instance = spec.name();
    this.startWork = startWork;
    this.stopWork = stopWork;
    this.router = builder.instance(spec).listener((name, from, to, why) -> onState(to)).build();
  }

  /**
   * Runs VRRP instance {@code spec} on {@code builder}'s transport and addresses;
   * {@code startWork} runs when it becomes MASTER, {@code stopWork} when it stops being
   * MASTER (both on the router's notify thread, one at a time).
   */
  public static MasterOnlyWork start(VrrpRouter.Builder builder, VrrpInstanceSpec spec, Runnable startWork,
      Runnable stopWork) throws IOException {
    MasterOnlyWork w = new MasterOnlyWork(builder, spec, startWork, stopWork);
    w.router.start();
    return w;
  }

  private synchronized void onState(VrrpState to) {
    if (to == VrrpState.MASTER && !working) {
      working = true;
      startWork.run();
    } else if (to != VrrpState.MASTER && working) {
      working = false;
      stopWork.run();
    }
  }

  /** Whether the work runs now. */
  public synchronized boolean working() {
    return working;
  }

  /** The instance's VRRP state. */
  public VrrpState state() {
    return router.instance(instance).state();
  }

  /** Stops gracefully: priority 0 (a backup takes over at once), then the work stops. */
  @Override
  public void close() {
    router.close();
  }

  /** Two copies on an in-memory link; see the class comment. */
  public static void main(String[] args) throws Exception {
    TimerService timers = TimerService.system(Executors.newScheduledThreadPool(1));
    InMemoryVrrpNetwork link = new InMemoryVrrpNetwork(timers, Duration.ZERO);
    MasterOnlyWork[] copies = new MasterOnlyWork[2];
    for (int i = 0; i < 2; i++) {
      String name = "copy-" + (i + 1);
      VrrpInstanceSpec spec = VrrpInstanceSpec.builder("JOB", "eth0", 7).priority(101 - i).version(3)
          .advertInterval(Duration.ofMillis(200)).virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
      copies[i] = start(VrrpRouter.builder(link.host(InetAddress.getByName("10.0.0." + (i + 1))),
          new FakeAddressManager("eth0"), timers).linkStatus(iface -> true), spec,
          () -> System.out.println(name + ": MASTER, work started"),
          () -> System.out.println(name + ": not master any more, work stopped"));
    }
    Thread.sleep(2000);
    System.out.println("stopping the master");
    copies[0].close();
    Thread.sleep(1000);
    copies[1].close();
    System.exit(0);
  }
}

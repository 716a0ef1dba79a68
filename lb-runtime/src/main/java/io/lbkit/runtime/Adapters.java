package io.lbkit.runtime;

import io.lbkit.api.TimerService;
import io.lbkit.api.ipvs.Ipvs;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.net.RouteManager;
import io.lbkit.netlink.NetlinkAddressManager;
import io.lbkit.netlink.NetlinkRouteManager;
import io.lbkit.vrrp.RawVrrpTransport;
import io.lbkit.vrrp.VrrpTransport;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's kernel adapters: those the builder was given, else the real ones of
 * the network namespace, each opened when first needed (no IPVS socket for a
 * configuration without virtual servers) and closed with the runtime.
 */
final class Adapters implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Adapters.class);

  private final String netns;
  private final Deque<Closeable> owned = new ArrayDeque<>();
  private final TimerService timers;
  private final ScheduledThreadPoolExecutor timerThread;
  private final Predicate<String> linkStatus;
  private Dataplane dataplane;
  private Ipvs ipvs;
  private AddressManager addresses;
  private RouteManager routes;
  private VrrpTransport transport;

  Adapters(String netns, TimerService timers, Dataplane dataplane, Ipvs ipvs, AddressManager addresses,
      RouteManager routes, VrrpTransport transport, Predicate<String> linkStatus) {
    this.netns = netns;
    this.dataplane = dataplane;
    this.ipvs = ipvs;
    this.addresses = addresses;
    this.routes = routes;
    this.transport = transport;
    this.linkStatus = linkStatus;
    if (timers != null) {
      this.timers = timers;
      this.timerThread = null;
    } else {
      timerThread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "lbkit-timers");
        t.setDaemon(true);
        return t;
      });
      // a backup re-arms its master-down timer on every advert: drop cancelled timers at once
      // instead of waking for each of them at its old deadline
      timerThread.setRemoveOnCancelPolicy(true);
      this.timers = TimerService.system(timerThread);
    }
  }

  /** The clock. */
  TimerService timers() {
    return timers;
  }

  /** True if the clock is the caller's (then health checks time on it too, instead of on their own thread). */
  boolean injectedTimers() {
    return timerThread == null;
  }

  /** The namespace, or null. */
  String netns() {
    return netns;
  }

  /** The table, opened on the builder's dataplane the first time (AUTO: IPVS if the kernel has it, else nftables). */
  synchronized Ipvs ipvs() throws IOException {
    if (ipvs == null) {
      ipvs = own(dataplane.open(netns));
      dataplane = Dataplane.of(ipvs);
    }
    return ipvs;
  }

  /** IPVS or NFTABLES once {@link #ipvs()} opened the table, the builder's choice before (or with its table). */
  synchronized Dataplane dataplane() {
    return dataplane;
  }

  synchronized AddressManager addresses() throws IOException {
    if (addresses == null) {
      addresses = own(NetlinkAddressManager.open(netns));
    }
    return addresses;
  }

  synchronized RouteManager routes() throws IOException {
    if (routes == null) {
      routes = own(NetlinkRouteManager.open(netns));
    }
    return routes;
  }

  synchronized VrrpTransport transport() {
    if (transport == null) {
      transport = RawVrrpTransport.open(netns);
    }
    return transport;
  }

  /**
   * How VRRP tells a link is up: the builder's, else (in a namespace, with the netlink
   * address manager and a transport of the caller's) the namespace's link state, else null
   * for the transport's own (RawVrrpTransport: the operstate in its namespace, followed by
   * netlink link events, so the router needs no link poll).
   */
  synchronized Predicate<String> linkStatus() {
    if (linkStatus != null) {
      return linkStatus;
    }
    if (netns != null && addresses instanceof NetlinkAddressManager nl && !(transport() instanceof RawVrrpTransport)) {
      return iface -> {
        try {
          return nl.link(iface).isUp();
        } catch (IOException e) {
          return false;
        }
      };
    }
    return null;
  }

  private <T extends Closeable> T own(T c) {
    owned.push(c);
    return c;
  }

  /** Closes what was opened here, last opened first, and stops the own timer thread. */
  @Override
  public synchronized void close() {
    while (!owned.isEmpty()) {
      Closeable c = owned.pop();
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
      }
    }
    if (timerThread != null) {
      timerThread.shutdownNow();
    }
  }
}

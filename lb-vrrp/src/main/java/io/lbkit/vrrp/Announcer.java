package io.lbkit.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gratuitous ARP / unsolicited NA of an instance's addresses like keepalived's garp_*
 * settings: a burst of garp_master_repeat on becoming master, another after
 * garp_master_delay, and one every garp_master_refresh while master. Its timers are
 * changed under the machine's lock; a generation number makes stale callbacks harmless.
 */
final class Announcer {
  private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

  private final TimerService clock;
  private final VrrpTransport transport;
  private final Supplier<VrrpInstanceSpec> spec;
  private final BooleanSupplier master;
  final AtomicLong count = new AtomicLong();
  private volatile TimerService.Cancellable delayed;
  private volatile TimerService.Cancellable refresh;
  private volatile int gen;

  Announcer(TimerService clock, VrrpTransport transport, Supplier<VrrpInstanceSpec> spec, BooleanSupplier master) {
    this.clock = clock;
    this.transport = transport;
    this.spec = spec;
    this.master = master;
  }

  /** Became master: a burst now, one after the delay, then the refresh. */
  void start() {
    VrrpInstanceSpec s = spec.get();
    burst(s.virtualAddresses());
    int g = ++gen;
    if (s.garpMasterDelay() != null && !s.garpMasterDelay().isZero()) {
      delayed = clock.schedule(s.garpMasterDelay(), () -> {
        if (g == gen && master.getAsBoolean()) {
          burst(spec.get().virtualAddresses());
        }
      });
    }
    scheduleRefresh(g);
  }

  /** Left master: no more announcements. */
  void stop() {
    gen++;
    TimerService.Cancellable d = delayed;
    TimerService.Cancellable r = refresh;
    if (d != null) {
      d.cancel();
    }
    if (r != null) {
      r.cancel();
    }
  }

  /** garp_master_repeat announcements of each address. */
  void burst(Collection<VirtualAddress> vips) {
    for (int i = 0; i < Math.max(1, spec.get().garpMasterRepeat()); i++) {
      once(vips);
    }
  }

  private void once(Collection<VirtualAddress> vips) {
    VrrpInstanceSpec s = spec.get();
    for (VirtualAddress va : vips) {
      String dev = va.interfaceName() != null ? va.interfaceName() : s.interfaceName();
      try {
        transport.announce(dev, va.address().address());
        count.incrementAndGet();
      } catch (IOException e) {
        LOG.warn("VRRP instance {}: announcing {} on {} failed: {}", s.name(), va.address(), dev, e.getMessage());
      }
    }
  }

  private void scheduleRefresh(int g) {
    VrrpInstanceSpec s = spec.get();
    if (s.garpMasterRefresh() == null || s.garpMasterRefresh().isZero()) {
      return;
    }
    refresh = clock.schedule(s.garpMasterRefresh(), () -> {
      if (g == gen && master.getAsBoolean()) {
        once(spec.get().virtualAddresses());
        scheduleRefresh(g);
      }
    });
  }
}

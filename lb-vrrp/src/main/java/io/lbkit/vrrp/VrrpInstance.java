package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.Inet;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.AddressManager;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.vrrp.internal.ChecksumForm;
import io.lbkit.vrrp.internal.DropReason;
import io.lbkit.vrrp.internal.VrrpCodec;
import io.lbkit.vrrp.internal.VrrpFsm;
import io.lbkit.vrrp.internal.VrrpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running VRRP instance of a {@link VrrpRouter}: its state, effective priority
 * and counters. Obtained from {@link VrrpRouter#instance(String)}; all methods are
 * thread-safe views.
 */
public final class VrrpInstance {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpInstance.class);

  private final VrrpInstanceSpec spec;
  private final TimerService clock;
  private final AddressManager addresses;
  private final VrrpTransport transport;
  private final StateSink sink;
  private final List<InetAddress> advertised;
  private final Set<InetAddress> advertisedSet;
  private final byte[] authData;
  private final Map<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong plainChecksums = new AtomicLong();
  private final AtomicLong pseudoChecksums = new AtomicLong();
  private final AtomicLong announcements = new AtomicLong();
  private volatile VrrpFsm fsm;
  private VrrpTransport.Channel channel;
  private InetAddress group;
  // Announcement timers: changed under the machine's lock; a generation check makes stale callbacks harmless.
  private volatile TimerService.Cancellable garpDelayed;
  private volatile TimerService.Cancellable garpRefresh;
  private volatile int announceGen;

  /** Told of transitions, with the machine's lock held (the router hands them off). */
  interface StateSink {
    void changed(VrrpInstance instance, VrrpState from, VrrpState to, String reason);
  }

  VrrpInstance(VrrpInstanceSpec spec, TimerService clock, AddressManager addresses, VrrpTransport transport,
      StateSink sink) {
    this.spec = spec;
    this.clock = clock;
    this.addresses = addresses;
    this.transport = transport;
    this.sink = sink;
    this.advertised = spec.virtualAddresses().stream().map(v -> v.address().address())
        .filter(a -> Family.of(a) == spec.family()).toList();
    this.advertisedSet = new HashSet<>(advertised);
    this.authData = spec.authPass() != null ? VrrpPacket.passwordData(spec.authPass()) : new byte[8];
    for (DropReason r : DropReason.values()) {
      drops.put(r, new AtomicLong());
    }
  }

  /** The instance's name. */
  public String name() {
    return spec.name();
  }

  /** The instance's configuration. */
  public VrrpInstanceSpec spec() {
    return spec;
  }

  /** Current state ({@link VrrpState#INIT} before the router starts). */
  public VrrpState state() {
    VrrpFsm f = fsm;
    return f == null ? VrrpState.INIT : f.state();
  }

  /** Priority now advertised: the configured one plus tracking weights. */
  public int effectivePriority() {
    VrrpFsm f = fsm;
    return f == null ? spec.priority() : f.effectivePriority();
  }

  /** The master's address as last heard (ours when master), or null. */
  public InetAddress masterAddress() {
    VrrpFsm f = fsm;
    return f == null ? null : f.masterAddress();
  }

  /** The current master-down interval in microseconds (with the learned interval in v3). */
  public long masterDownMicros() {
    VrrpFsm f = fsm;
    return f == null ? 0 : f.masterDownMicros();
  }

  /**
   * Counters: {@code received}, {@code sent}, {@code announcements},
   * {@code checksum_pseudo_header}, {@code checksum_plain}, {@code late_timers} and
   * {@code dropped_<reason>} for each drop reason (ttl, version, type, length,
   * checksum, vrid, interval, auth, auth_ah_unsupported, address_list, own_packet).
   */
  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("received", received.get());
    m.put("sent", sent.get());
    m.put("announcements", announcements.get());
    m.put("checksum_pseudo_header", pseudoChecksums.get());
    m.put("checksum_plain", plainChecksums.get());
    VrrpFsm f = fsm;
    m.put("late_timers", f == null ? 0L : f.lateTimers());
    drops.forEach((r, c) -> m.put("dropped_" + r.name().toLowerCase(java.util.Locale.ROOT), c.get()));
    return m;
  }

  @Override
  public String toString() {
    return "VRRP instance " + spec.name() + " (" + state() + ", priority " + effectivePriority() + ")";
  }

  // ---- runtime, driven by VrrpRouter ----

  void attach(VrrpTransport.Channel ch, InetAddress grp) {
    this.channel = ch;
    this.group = grp;
    InetAddress src = ch.sourceAddress();
    this.fsm = new VrrpFsm(new VrrpFsm.Config(spec.name(), spec.version(), spec.priority(),
        (int) (spec.advertInterval().toMillis() / 10), spec.preempt(), spec.preemptDelay(), src,
        spec.initialState() == VrrpState.MASTER), clock, new Output());
    this.fsm.setInputPending(ch::inputPending);
  }

  VrrpFsm fsm() {
    return fsm;
  }

  void countDrop(DropReason r) {
    drops.get(r).incrementAndGet();
  }

  /** A packet for our VRID that passed the codec's checks. */
  void received(VrrpPacket p, ChecksumForm form, InetAddress src) {
    VrrpFsm f = fsm;
    if (f == null) {
      return;
    }
    if (src.equals(channel.sourceAddress())) {
      countDrop(DropReason.OWN_PACKET);
      return;
    }
    if (p.version() != spec.version()) {
      countDrop(DropReason.VERSION);
      return;
    }
    if (spec.version() == 2) {
      if (p.advertCentis() != spec.advertInterval().toMillis() / 10) {
        drop(DropReason.INTERVAL, "advert interval " + p.advertCentis() / 100 + " s from " + Inet.format(src)
            + " differs from ours " + spec.advertInterval().toSeconds() + " s");
        return;
      }
      int wantType = spec.authPass() != null ? VrrpPacket.AUTH_PASS : VrrpPacket.AUTH_NONE;
      if (p.authType() != wantType || (wantType == VrrpPacket.AUTH_PASS && !Arrays.equals(p.authData(), authData))) {
        drop(DropReason.AUTH, "authentication mismatch from " + Inet.format(src));
        return;
      }
    }
    if (!new HashSet<>(p.addresses()).equals(advertisedSet)) {
      countDrop(DropReason.ADDRESS_LIST);
      if (spec.version() == 2 && p.priority() != 255) {
        LOG.warn("VRRP instance {}: address list {} from {} differs from ours {}; dropped (RFC 3768 7.1)",
            spec.name(), p.addresses(), Inet.format(src), advertised);
        return;
      }
    }
    (form == ChecksumForm.PLAIN && p.version() == 3 ? plainChecksums : pseudoChecksums).incrementAndGet();
    received.incrementAndGet();
    f.advertReceived(src, p.priority(), p.advertCentis());
  }

  private void drop(DropReason r, String why) {
    countDrop(r);
    LOG.debug("VRRP instance {}: {}", spec.name(), why);
  }

  private void announceAll() {
    for (VirtualAddress va : spec.virtualAddresses()) {
      String dev = va.interfaceName() != null ? va.interfaceName() : spec.interfaceName();
      try {
        transport.announce(dev, va.address().address());
        announcements.incrementAndGet();
      } catch (IOException e) {
        LOG.warn("VRRP instance {}: announcing {} on {} failed: {}", spec.name(), va.address(), dev, e.getMessage());
      }
    }
  }

  private void announceBurst() {
    for (int i = 0; i < Math.max(1, spec.garpMasterRepeat()); i++) {
      announceAll();
    }
  }

  private void scheduleRefresh(int gen) {
    if (spec.garpMasterRefresh() == null || spec.garpMasterRefresh().isZero()) {
      return;
    }
    garpRefresh = clock.schedule(spec.garpMasterRefresh(), () -> {
      if (gen == announceGen && state() == VrrpState.MASTER) {
        announceAll();
        scheduleRefresh(gen);
      }
    });
  }

  private void cancelAnnouncements() {
    announceGen++;
    TimerService.Cancellable d = garpDelayed;
    TimerService.Cancellable r = garpRefresh;
    if (d != null) {
      d.cancel();
    }
    if (r != null) {
      r.cancel();
    }
  }

  private void change(boolean add, VirtualAddress va) {
    String dev = va.interfaceName() != null ? va.interfaceName() : spec.interfaceName();
    try {
      AddressManager.Change c = add ? addresses.add(dev, va.address()) : addresses.remove(dev, va.address());
      if (c == AddressManager.Change.ALREADY) {
        LOG.info("VRRP instance {}: {} {} on {} already {}", spec.name(), add ? "adding" : "removing", va.address(),
            dev, add ? "present" : "absent");
      }
    } catch (IOException e) {
      LOG.error("VRRP instance {}: {} {} on {} failed: {}", spec.name(), add ? "adding" : "removing", va.address(),
          dev, e.getMessage());
    }
  }

  private final class Output implements VrrpFsm.Output {
    @Override
    public void sendAdvert(int priority) {
      VrrpPacket p = new VrrpPacket(spec.version(), spec.vrid(), priority, (int) (spec.advertInterval().toMillis() / 10),
          advertised, spec.version() == 2 ? (spec.authPass() != null ? VrrpPacket.AUTH_PASS : 0) : 0,
          spec.version() == 2 ? authData : null);
      ChecksumForm form = spec.v3ChecksumWithPseudoHeader() ? ChecksumForm.PSEUDO_HEADER : ChecksumForm.PLAIN;
      List<InetAddress> dsts = spec.unicastPeers().isEmpty() ? List.of(group) : spec.unicastPeers();
      for (InetAddress dst : dsts) {
        try {
          channel.send(dst, VrrpCodec.encode(p, channel.sourceAddress(), dst, form));
          sent.incrementAndGet();
        } catch (IOException e) {
          LOG.warn("VRRP instance {}: sending advert to {} failed: {}", spec.name(), Inet.format(dst), e.getMessage());
        }
      }
    }

    @Override
    public void addAddresses() {
      spec.virtualAddresses().forEach(va -> change(true, va));
      spec.excludedAddresses().forEach(va -> change(true, va));
      announceBurst();
      int gen = ++announceGen;
      if (spec.garpMasterDelay() != null && !spec.garpMasterDelay().isZero()) {
        garpDelayed = clock.schedule(spec.garpMasterDelay(), () -> {
          if (gen == announceGen && state() == VrrpState.MASTER) {
            announceBurst();
          }
        });
      }
      scheduleRefresh(gen);
    }

    @Override
    public void removeAddresses() {
      cancelAnnouncements();
      spec.virtualAddresses().forEach(va -> change(false, va));
      spec.excludedAddresses().forEach(va -> change(false, va));
    }

    @Override
    public void stateChanged(VrrpState from, VrrpState to, String reason) {
      sink.changed(VrrpInstance.this, from, to, reason);
    }
  }
}

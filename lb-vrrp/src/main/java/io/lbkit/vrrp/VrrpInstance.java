package io.lbkit.vrrp;

import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.vrrp.internal.ChecksumForm;
import io.lbkit.vrrp.internal.DropReason;
import io.lbkit.vrrp.internal.FarWakeUps;
import io.lbkit.vrrp.internal.VrrpCodec;
import io.lbkit.vrrp.internal.VrrpFsm;
import io.lbkit.vrrp.internal.VrrpFsmConfig;
import io.lbkit.vrrp.internal.VrrpFsmOutput;
import io.lbkit.vrrp.internal.VrrpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final TimerService clock;
  private final FarWakeUps far; // the router's: its instances' timers share one far wake-up
  private final MasterState held;
  private final StateSink sink;
  private final Announcer announcer;
  private final DropLog drops;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong zeroReceived = new AtomicLong();
  private final AtomicLong zeroSent = new AtomicLong();
  private final AtomicLong plainChecksums = new AtomicLong();
  private final AtomicLong pseudoChecksums = new AtomicLong();
  private volatile VrrpInstanceSpec spec;
  private volatile Adverts wire;
  private volatile VrrpFsm fsm;
  private VrrpTransport.Channel channel;
  private InetAddress group;

  /** Told of transitions, with the machine's lock held (the router hands them off). */
  interface StateSink {
    void changed(VrrpInstance instance, VrrpState from, VrrpState to, String reason);
  }

  VrrpInstance(VrrpInstanceSpec spec, TimerService clock, MasterState held, VrrpTransport transport,
      StateSink sink, DropLog.Sink dropSink, FarWakeUps far) {
    this.spec = spec;
    this.far = far;
    this.drops = new DropLog("VRRP instance " + spec.name(), clock, dropSink);
    this.clock = clock;
    this.held = held;
    this.sink = sink;
    this.announcer = new Announcer(clock, transport, () -> this.spec, () -> state() == VrrpState.MASTER);
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
   * Counters: {@code received}, {@code sent}, {@code priority_zero_received} and
   * {@code priority_zero_sent} (adverts of a master leaving, keepalived's pri_zero_rcvd and
   * pri_zero_sent; among received and sent), {@code announcements},
   * {@code checksum_pseudo_header}, {@code checksum_plain}, {@code late_timers} and
   * {@code dropped_<reason>} for each drop reason (ttl, version, type, length,
   * checksum, vrid, interval, auth, auth_ah_unsupported, address_list, own_packet).
   */
  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("received", received.get());
    m.put("sent", sent.get());
    m.put("priority_zero_received", zeroReceived.get());
    m.put("priority_zero_sent", zeroSent.get());
    m.put("announcements", announcer.count.get());
    m.put("checksum_pseudo_header", pseudoChecksums.get());
    m.put("checksum_plain", plainChecksums.get());
    VrrpFsm f = fsm;
    m.put("late_timers", f == null ? 0L : f.lateTimers());
    drops.all().forEach((r, c) -> m.put("dropped_" + r, c));
    return m;
  }

  /** Dropped adverts by reason (the {@code dropped_} counters' suffixes), only those with a non-zero count. */
  public Map<String, Long> drops() {
    return drops.nonZero();
  }

  @Override
  public String toString() {
    return "VRRP instance " + spec.name() + " (" + state() + ", priority " + effectivePriority() + ")";
  }

  // ---- runtime, driven by VrrpRouter ----

  void attach(VrrpTransport.Channel ch, InetAddress grp) {
    this.channel = ch;
    this.group = grp;
    this.wire = new Adverts(spec, ch.sourceAddress(), grp);
    this.fsm = new VrrpFsm(config(spec), clock, new Output(), far);
    this.fsm.setInputPending(ch::inputPending);
    // A backup's takeover should not be the first to encode an advert or to look for
    // queued input: do both once now, so their classes are loaded and linked.
    wire.encoded(fsm.effectivePriority());
    ch.inputPending();
  }

  private VrrpFsmConfig config(VrrpInstanceSpec s) {
    return new VrrpFsmConfig(s.name(), s.version(), s.priority(), (int) (s.advertInterval().toMillis() / 10),
        s.preempt(), s.preemptDelay(), channel.sourceAddress(), s.initialState() == VrrpState.MASTER);
  }

  /**
   * Whether {@code next} can replace this instance's spec in place: same link, VRID,
   * version, family, source and group (else the router replaces the instance).
   */
  boolean liveChangeable(VrrpInstanceSpec next) {
    VrrpInstanceSpec s = spec;
    return s.interfaceName().equals(next.interfaceName()) && s.vrid() == next.vrid()
        && s.version() == next.version() && s.family() == next.family()
        && java.util.Objects.equals(s.unicastSource(), next.unicastSource())
        && java.util.Objects.equals(s.multicastGroup(), next.multicastGroup())
        && s.unicastPeers().isEmpty() == next.unicastPeers().isEmpty();
  }

  /**
   * Applies a changed spec without leaving the current state: priority from the next
   * advert, advert interval from the next timer, and while MASTER only the difference
   * of the addresses is applied (kept ones are never removed; new ones are announced).
   */
  void reconfigure(VrrpInstanceSpec next) {
    VrrpInstanceSpec old = spec;
    VrrpFsm f = fsm;
    if (f == null) {
      spec = next;
      return;
    }
    f.reconfigure(config(next), state -> {
      spec = next;
      wire = new Adverts(next, channel.sourceAddress(), group);
      if (state != VrrpState.MASTER) {
        return; // nothing is installed; the new spec applies from the next transition
      }
      List<VirtualAddress> added = held.change(old, next);
      if (!added.isEmpty()) {
        announcer.burst(added);
      }
    });
  }

  VrrpFsm fsm() {
    return fsm;
  }

  /** An advert for our VRID the codec dropped: counted, and logged rate-limited. */
  void dropped(VrrpCodec.Decoded d) {
    if (drops.count(d.dropReason())) {
      drops.log(d.dropReason(), d.detail());
    }
  }

  /** The instance clock's time {@code ageNanos} ago: when a packet of that age arrived. */
  long arrivedAt(long ageNanos) {
    return clock.nanoTime() - Math.max(0, ageNanos);
  }

  /** A packet for our VRID that passed the codec's checks, arrived at {@code arrivedNanos} (instance clock). */
  void received(VrrpPacket p, ChecksumForm form, InetAddress src, long arrivedNanos) {
    VrrpFsm f = fsm;
    VrrpInstanceSpec spec = this.spec;
    Adverts wire = this.wire;
    if (f == null) {
      return;
    }
    if (src.equals(channel.sourceAddress())) {
      drops.countQuietly(DropReason.OWN_PACKET);
      return;
    }
    if (p.version() != spec.version()) {
      if (drops.count(DropReason.VERSION)) {
        drops.log(DropReason.VERSION, "VRRPv" + p.version() + " advert from " + Inet.format(src) + ", this instance "
            + "runs VRRPv" + spec.version());
      }
      return;
    }
    if (spec.version() == 2) {
      if (p.advertCentis() != spec.advertInterval().toMillis() / 10) {
        if (drops.count(DropReason.INTERVAL)) {
          drops.log(DropReason.INTERVAL, "advert interval " + p.advertCentis() / 100 + " s from " + Inet.format(src)
              + " differs from ours " + spec.advertInterval().toSeconds() + " s (RFC 3768 7.1)");
        }
        return;
      }
      int wantType = spec.authPass() != null ? VrrpPacket.AUTH_PASS : VrrpPacket.AUTH_NONE;
      if (p.authType() != wantType
          || (wantType == VrrpPacket.AUTH_PASS && !Arrays.equals(p.authData(), wire.authData))) {
        if (drops.count(DropReason.AUTH)) {
          drops.log(DropReason.AUTH, "authentication mismatch from " + Inet.format(src));
        }
        return;
      }
    }
    if (!wire.sameAddresses(p.addresses())) {
      // counted in v2 and v3 alike; only v2 drops the advert (unless the sender is the owner)
      if (drops.count(DropReason.ADDRESS_LIST)) {
        drops.log(DropReason.ADDRESS_LIST, "address list " + p.addresses() + " from " + Inet.format(src)
            + " differs from ours " + wire.advertised + (spec.version() == 2 && p.priority() != 255
            ? "; dropped (RFC 3768 7.1)" : "; accepted (" + (p.priority() == 255 ? "sent by the owner" : "VRRPv3")
            + ")"));
      }
      if (spec.version() == 2 && p.priority() != 255) {
        return;
      }
    }
    (form == ChecksumForm.PLAIN && p.version() == 3 ? plainChecksums : pseudoChecksums).incrementAndGet();
    received.incrementAndGet();
    if (p.priority() == 0) {
      zeroReceived.incrementAndGet(); // the master is leaving
    }
    f.advertReceived(src, p.priority(), p.advertCentis(), arrivedNanos);
  }

  private final class Output implements VrrpFsmOutput {
    @Override
    public void sendAdvert(int priority) {
      Adverts w = wire;
      byte[][] bytes = w.encoded(priority);
      for (int i = 0; i < bytes.length; i++) {
        try {
          if (io.lbkit.vrrp.internal.Trace.ON) {
            io.lbkit.vrrp.internal.Trace.mark(io.lbkit.vrrp.internal.Trace.PRESEND);
          }
          channel.send(w.destinations.get(i), bytes[i]);
          sent.incrementAndGet();
          if (priority == 0) {
            zeroSent.incrementAndGet();
          }
        } catch (IOException e) {
          LOG.warn("VRRP instance {}: sending advert to {} failed: {}", w.spec.name(),
              Inet.format(w.destinations.get(i)), e.getMessage());
        }
      }
    }

    @Override
    public void addAddresses() {
      held.install(spec);
      if (io.lbkit.vrrp.internal.Trace.ON) {
        io.lbkit.vrrp.internal.Trace.mark(io.lbkit.vrrp.internal.Trace.INSTALLED);
      }
      announcer.start();
      if (io.lbkit.vrrp.internal.Trace.ON) {
        io.lbkit.vrrp.internal.Trace.mark(io.lbkit.vrrp.internal.Trace.ANNOUNCED);
      }
    }

    @Override
    public void removeAddresses() {
      announcer.stop();
      held.uninstall(spec);
    }

    @Override
    public void stateChanged(VrrpState from, VrrpState to, String reason) {
      sink.changed(VrrpInstance.this, from, to, reason);
    }
  }
}

package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.TimerService;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.vrrp.internal.DropReason;
import io.lbkit.vrrp.internal.VrrpCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's open channels: one per interface, family, group and source, shared by
 * the instances on it and demultiplexed by VRID. Channels open when the first instance
 * needs them and close when the last one leaves. Callers hold the router's lock.
 */
final class Channels {
  /** One open channel and the instances on it by VRID. */
  record Slot(VrrpTransport.Channel channel, InetAddress group, Map<Integer, VrrpInstance> byVrid) {}

  // VRIDs as map keys without boxing per packet (Integer.valueOf caches only up to 127)
  private static final Integer[] VRIDS = new Integer[256];

  static {
    for (int i = 0; i < VRIDS.length; i++) {
      VRIDS[i] = i;
    }
  }

  private final VrrpTransport transport;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  // per interface, kept when its channels close: what arrived there that no instance took
  private final Map<String, DropLog> unmatched = new ConcurrentHashMap<>();
  private final TimerService clock;
  private final DropLog.Sink sink;

  Channels(VrrpTransport transport, TimerService clock, DropLog.Sink sink) {
    this.transport = transport;
    this.clock = clock;
    this.sink = sink;
  }

  /** The multicast group of a multicast instance, or null for unicast. */
  static InetAddress groupOf(VrrpInstanceSpec s) {
    if (!s.unicastPeers().isEmpty()) {
      return null;
    }
    if (s.multicastGroup() != null) {
      return s.multicastGroup();
    }
    return Inet.parse(s.family() == Family.INET ? "224.0.0.18" : "ff02::12");
  }

  static String key(VrrpInstanceSpec s) {
    return s.interfaceName() + "|" + s.family() + "|" + groupOf(s) + "|" + s.unicastSource();
  }

  /**
   * Opens the channels these specs need that are not open yet; on failure closes the
   * ones it opened and throws, leaving the table as it was.
   */
  void openFor(List<VrrpInstanceSpec> specs) throws IOException {
    List<String> opened = new ArrayList<>();
    try {
      for (VrrpInstanceSpec s : specs) {
        String k = key(s);
        if (!slots.containsKey(k)) {
          Map<Integer, VrrpInstance> demux = new ConcurrentHashMap<>();
          DecodeMemo memo = new DecodeMemo();
          InetAddress group = groupOf(s);
          DropLog stray = unmatched.computeIfAbsent(s.interfaceName(),
              i -> new DropLog("VRRP on " + i + " (no instance)", clock, sink));
          VrrpTransport.Channel ch = transport.open(s.interfaceName(), s.family(), group, s.unicastSource(),
              new VrrpTransport.Receiver() {
                @Override
                public void received(ByteBuffer buf, InetAddress src, InetAddress dst, int ttl) {
                  receive(demux, memo, stray, buf, src, dst, ttl, 0);
                }

                @Override
                public void received(ByteBuffer buf, InetAddress src, InetAddress dst, int ttl, long age) {
                  receive(demux, memo, stray, buf, src, dst, ttl, age);
                }
              });
          slots.put(k, new Slot(ch, group, demux));
          opened.add(k);
        }
      }
    } catch (IOException | RuntimeException e) {
      opened.forEach(k -> slots.remove(k).channel().close());
      throw e;
    }
  }

  /** Puts an instance on its (open) channel and returns the slot. */
  Slot join(VrrpInstance inst) {
    VrrpInstanceSpec s = inst.spec();
    Slot slot = slots.get(key(s));
    if (slot.byVrid().putIfAbsent(s.vrid(), inst) != null) {
      throw new IllegalArgumentException("vrrp_instance " + s.name() + ": VRID " + s.vrid()
          + " is already used on " + s.interfaceName() + " (" + s.family() + ")");
    }
    return slot;
  }

  /** Takes an instance off its channel (it receives nothing more; it may still send). */
  void leave(VrrpInstance inst) {
    Slot slot = slots.get(key(inst.spec()));
    if (slot != null) {
      slot.byVrid().remove(inst.spec().vrid(), inst);
    }
  }

  /** Removes the channels no instance uses and returns them, to close outside the router's lock. */
  List<VrrpTransport.Channel> idle() {
    List<VrrpTransport.Channel> out = new ArrayList<>();
    slots.values().removeIf(s -> s.byVrid().isEmpty() && out.add(s.channel()));
    return out;
  }

  /** Removes every channel and returns them, to close. */
  List<VrrpTransport.Channel> all() {
    List<VrrpTransport.Channel> out = new ArrayList<>();
    slots.values().forEach(s -> out.add(s.channel()));
    slots.clear();
    return out;
  }

  /** Per interface, the adverts no instance took, by reason (only interfaces and reasons with drops). */
  Map<String, Map<String, Long>> unmatched() {
    Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
    unmatched.forEach((iface, log) -> {
      Map<String, Long> m = log.nonZero();
      if (!m.isEmpty()) {
        out.put(iface, m);
      }
    });
    return out;
  }

  private void receive(Map<Integer, VrrpInstance> demux, DecodeMemo memo, DropLog stray, ByteBuffer buf, InetAddress src, InetAddress dst, int ttl,
      long ageNanos) {
    VrrpInstance inst = buf.remaining() >= 2 ? demux.get(VRIDS[buf.get(buf.position() + 1) & 0xff]) : null;
    long arrived = inst == null ? 0 : inst.arrivedAt(ageNanos); // before decoding: it is part of the age
    VrrpCodec.Decoded d = memo.decode(buf, src, dst, ttl);
    if (inst == null) {
      DropReason r = d.ok() ? DropReason.VRID : d.dropReason();
      if (stray.count(r)) {
        stray.log(r, d.ok() ? "VRID " + d.packet().vrid() + " from " + Inet.format(src) + ": no instance here runs it"
            : d.detail());
      }
      return;
    }
    if (!d.ok()) {
      inst.dropped(d);
      return;
    }
    inst.received(d.packet(), d.checksumForm(), src, arrived);
  }
}

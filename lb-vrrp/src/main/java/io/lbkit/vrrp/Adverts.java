package io.lbkit.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.vrrp.internal.ChecksumForm;
import io.lbkit.vrrp.internal.VrrpCodec;
import io.lbkit.vrrp.internal.VrrpPacket;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one spec of an instance puts on and expects from the wire: the advertised
 * address list, the v2 password, the destinations, and the encoded adverts. An advert
 * differs between sends only in its priority, so the bytes per destination are encoded
 * once per priority and reused: a master's steady state allocates nothing per advert.
 * Immutable except for that cache, which only the machine's thread (under its lock) uses.
 */
final class Adverts {
  final VrrpInstanceSpec spec;
  final List<InetAddress> advertised;
  final Set<InetAddress> advertisedSet;
  final byte[] authData;
  final List<InetAddress> destinations;
  private final InetAddress source;
  private final int centis;
  private int cachedPriority = -1;
  private byte[][] cached;

  Adverts(VrrpInstanceSpec spec, InetAddress source, InetAddress group) {
    this.spec = spec;
    this.source = source;
    this.advertised = spec.virtualAddresses().stream().map(v -> v.address().address())
        .filter(a -> Family.of(a) == spec.family()).toList();
    this.advertisedSet = new HashSet<>(advertised);
    this.authData = spec.authPass() != null ? VrrpPacket.passwordData(spec.authPass()) : new byte[8];
    this.destinations = spec.unicastPeers().isEmpty() ? (group == null ? List.of() : List.of(group))
        : spec.unicastPeers();
    this.centis = (int) (spec.advertInterval().toMillis() / 10);
  }

  /** The advert with this priority for each of {@link #destinations}, in the same order. */
  byte[][] encoded(int priority) {
    if (priority != cachedPriority || cached == null) {
      VrrpPacket p = new VrrpPacket(spec.version(), spec.vrid(), priority, centis, advertised,
          spec.version() == 2 && spec.authPass() != null ? VrrpPacket.AUTH_PASS : VrrpPacket.AUTH_NONE,
          spec.version() == 2 ? authData : null);
      ChecksumForm form = spec.v3ChecksumWithPseudoHeader() ? ChecksumForm.PSEUDO_HEADER : ChecksumForm.PLAIN;
      byte[][] out = new byte[destinations.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = VrrpCodec.encode(p, source, destinations.get(i), form);
      }
      cached = out;
      cachedPriority = priority;
    }
    return cached;
  }

  /** True if a received address list is ours (as a set). */
  boolean sameAddresses(List<InetAddress> received) {
    if (received.size() == advertisedSet.size() && containsAll(received)) {
      return true; // the usual case, checked without an iterator (C1, as lbctl run uses, allocates one)
    }
    return new HashSet<>(received).equals(advertisedSet);
  }

  private boolean containsAll(List<InetAddress> received) {
    if (!(received instanceof java.util.RandomAccess)) {
      return advertisedSet.containsAll(received);
    }
    for (int i = 0, n = received.size(); i < n; i++) {
      if (!advertisedSet.contains(received.get(i))) {
        return false;
      }
    }
    return true;
  }
}

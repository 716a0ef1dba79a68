package io.lbkit.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.Family;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServerKey;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import java.nio.ByteBuffer;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever lbkit encodes it decodes to the same value: NEW_SERVICE / NEW_DEST carry the
 * same nested attributes as the kernel's replies, so a request read as a reply must give
 * back the value it was built from.
 */
class IpvsRoundTripProperties {
  private static final IpvsCodec C = new IpvsCodec(0x2a);

  @Provide
  Arbitrary<ServiceKey> keys() {
    Arbitrary<ServiceKey> inet = Combinators.combine(Arbitraries.of(Protocol.class),
        Arbitraries.bytes().array(byte[].class).ofSize(4).injectDuplicates(0.0),
        Arbitraries.bytes().array(byte[].class).ofSize(16), Arbitraries.integers().between(0, 65535),
        Arbitraries.of(true, false)).as((p, a4, a16, port, v6) -> ServiceKey.of(p, Inet.of(v6 ? a16 : a4), port));
    Arbitrary<ServiceKey> fwm = Combinators.combine(Arbitraries.integers().filter(i -> i != 0),
        Arbitraries.of(Family.class)).as(ServiceKey::fwmark);
    return Arbitraries.oneOf(inet, fwm);
  }

  @Provide
  Arbitrary<IpvsService> services() {
    Arbitrary<Persistence> persistence = Combinators.combine(Arbitraries.integers().between(1, 1_000_000),
        Arbitraries.integers().between(1, 128), Arbitraries.of("sip", null))
        .as(Persistence::new).injectNull(0.4);
    return Combinators.combine(keys(), Arbitraries.of(Scheduler.known()), persistence, Arbitraries.of(true, false))
        .as((k, s, p, one) -> new IpvsService(k, s, Set.of(), p, one));
  }

  @Provide
  Arbitrary<IpvsDest> dests() {
    Arbitrary<Forwarding> fwd = Arbitraries.oneOf(Arbitraries.of(Forwarding.DR, Forwarding.NAT, Forwarding.TUN,
        Forwarding.LOCAL, Forwarding.gre()), Arbitraries.integers().between(1, 65535).map(Forwarding::gue))
        .flatMap(f -> f.method() == Forwarding.Method.TUNNEL && f.tunnelType() != Forwarding.TunnelType.IPIP
            ? Arbitraries.of(Forwarding.TunnelCsum.class).map(f::withCsum) : Arbitraries.just(f));
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.bytes().array(byte[].class).ofSize(16), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 65535), fwd, Arbitraries.integers().between(0, Integer.MAX_VALUE),
        Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.longs().between(0, 0xffffffffL))
        .as((a4, a16, v6, port, f, w, u, l) -> new IpvsDest(new RealServerKey(Inet.of(v6 ? a16 : a4), port), f, w, u, l));
  }

  @Property(tries = 300)
  void service_encodedThenDecoded_isTheSameService(@ForAll("services") IpvsService s) throws Exception {
    NlWriter w = new NlWriter(64);
    C.newService(w, s);
    ByteBuffer b = w.flip();
    assertThat(IpvsDecoder.service(b, 0, b.limit()).service()).isEqualTo(s);
  }

  @Property(tries = 300)
  void dest_encodedThenDecoded_isTheSameDest(@ForAll("keys") ServiceKey k, @ForAll("dests") IpvsDest d)
      throws Exception {
    NlWriter w = new NlWriter(64);
    C.newDest(w, k, d);
    ByteBuffer b = w.flip();
    assertThat(IpvsDecoder.dest(b, 0, b.limit(), k.family()).dest()).isEqualTo(d);
  }
}

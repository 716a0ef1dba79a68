package io.lbkit.netlink.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.api.net.Route;
import io.lbkit.netlink.internal.NlWriter;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Encode then decode gives the value back (the kernel echoes a request's layout in its replies). */
class RtnlRoundTripTest {

  @Property(tries = 300)
  void newAddress_decodeAddress_roundTrips(@ForAll("addresses") IfAddress a, @ForAll("indexes") int index)
      throws ProtocolException {
    NlWriter w = new NlWriter(32);
    RtnlCodec.newAddress(w, index, a);
    ByteBuffer b = w.flip();
    Address back = RtnlCodec.decodeAddress(b, 0, b.limit());
    assertThat(back.ifIndex()).isEqualTo(index);
    assertThat(back.address()).isEqualTo(a);
  }

  @Property(tries = 300)
  void newRoute_decode_roundTripsWithMaskedDestination(@ForAll("routes") Route r, @ForAll("indexes") int oif)
      throws ProtocolException {
    NlWriter w = new NlWriter(32);
    RouteCodec.newRoute(w, r, oif);
    ByteBuffer b = w.flip();
    RouteCodec.RouteEntry e = RouteCodec.decode(b, 0, b.limit());
    assertThat(e.destination()).isEqualTo(Inet.of(RouteCodec.masked(r.destination(), r.prefixLength())));
    assertThat(e.prefixLength()).isEqualTo(r.prefixLength());
    assertThat(e.gateway()).isEqualTo(r.gateway());
    assertThat(e.source()).isEqualTo(r.source());
    assertThat(e.oif()).isEqualTo(oif);
    assertThat(e.metric()).isEqualTo(r.metric());
    assertThat(e.table()).isEqualTo(r.table());
    assertThat(e.scope()).isEqualTo(r.scope());
    assertThat(e.protocol()).isEqualTo(Rtnl.RTPROT_KEEPALIVED);
  }

  @Provide
  Arbitrary<Integer> indexes() {
    return Arbitraries.integers().between(1, Integer.MAX_VALUE);
  }

  private static Arbitrary<InetAddress> v4() {
    return Arbitraries.bytes().array(byte[].class).ofSize(4).map(Inet::of);
  }

  private static Arbitrary<InetAddress> v6() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(Inet::of);
  }

  @Provide
  Arbitrary<IfAddress> addresses() {
    Arbitrary<IfAddress> four = Combinators.combine(v4(), Arbitraries.integers().between(0, 32),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(15).injectNull(0.5),
        Arbitraries.of(0, 200, 253, 254), v4().injectNull(0.5))
        .as((a, p, label, scope, brd) -> new IfAddress(a, p, label, scope, brd, false));
    Arbitrary<IfAddress> six = Combinators.combine(v6(), Arbitraries.integers().between(0, 128),
        Arbitraries.of(0, 253), Arbitraries.of(true, false))
        .as((a, p, scope, nodad) -> new IfAddress(a, p, null, scope, null, nodad));
    return Arbitraries.oneOf(four, six);
  }

  @Provide
  Arbitrary<Route> routes() {
    Arbitrary<Route> four = Combinators.combine(v4(), Arbitraries.integers().between(0, 32), v4().injectNull(0.3),
        v4().injectNull(0.5), Arbitraries.integers().between(0, 100000), Arbitraries.integers().between(1, 70000),
        Arbitraries.of(0, 253))
        .as((d, p, gw, src, metric, table, scope) -> new Route(d, p, gw, gw == null ? "eth0" : null, src, metric,
            table, scope));
    Arbitrary<Route> six = Combinators.combine(v6(), Arbitraries.integers().between(0, 128), v6().injectNull(0.3),
        Arbitraries.integers().between(1, 70000))
        .as((d, p, gw, table) -> new Route(d, p, gw, gw == null ? "eth0" : null, null, 0, table, 0));
    return Arbitraries.oneOf(four, six);
  }
}

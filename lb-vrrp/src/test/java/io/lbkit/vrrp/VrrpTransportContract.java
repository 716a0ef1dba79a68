package io.lbkit.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.vrrp.internal.ChecksumForm;
import io.lbkit.vrrp.internal.VrrpCodec;
import io.lbkit.vrrp.internal.VrrpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VrrpTransport} does, run against the in-memory network (unit tier,
 * {@code InMemoryVrrpTransportContractTest}) and against {@link RawVrrpTransport}
 * between two network namespaces (netns tier, {@code RawVrrpTransportNetnsTest}): the
 * transport is lb-vrrp's own port, so its contract lives with it. Two hosts A and B
 * share the link {@link #IFACE}; what B receives is queued and every wait for it has a
 * deadline, so a lost packet fails a test instead of hanging it.
 */
public abstract class VrrpTransportContract {
  /** The link both hosts are on. */
  protected static final String IFACE = "eth0";
  /** VRRP's IPv4 group. */
  protected static final InetAddress GROUP = Inet.parse("224.0.0.18");
  /** How long a packet that should arrive may take. */
  protected static final Duration DEADLINE = Duration.ofSeconds(3);

  private final List<VrrpTransport.Channel> open = new ArrayList<>();

  /** Host A's transport (the same one throughout a test). */
  protected abstract VrrpTransport hostA() throws IOException;

  /** Host B's transport (the same one throughout a test). */
  protected abstract VrrpTransport hostB() throws IOException;

  /** A's primary IPv4 address on {@link #IFACE}. */
  protected abstract InetAddress addressA();

  /** B's primary IPv4 address on {@link #IFACE}. */
  protected abstract InetAddress addressB();

  /** Lets sent packets travel (a manual clock advances; real links need nothing). */
  protected abstract void deliver();

  /** How long to listen before concluding that nothing arrives (zero where delivery is synchronous). */
  protected abstract Duration quietPeriod();

  /** One received packet as the receiver saw it. */
  record Got(byte[] vrrp, InetAddress src, InetAddress dst, int ttl) {}

  private VrrpTransport.Channel open(VrrpTransport t, InetAddress group, InetAddress source,
      BlockingQueue<Got> into) throws IOException {
    VrrpTransport.Channel c = t.open(IFACE, Family.INET, group, source, (vrrp, src, dst, ttl) -> {
      byte[] b = new byte[vrrp.remaining()];
      vrrp.get(b);
      into.add(new Got(b, src, dst, ttl));
    });
    open.add(c);
    return c;
  }

  @AfterEach
  void closeChannels() {
    open.forEach(VrrpTransport.Channel::close);
  }

  private Got next(BlockingQueue<Got> q) throws InterruptedException {
    deliver();
    Got g = q.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(g).as("a packet within %s", DEADLINE).isNotNull();
    return g;
  }

  private void nothing(BlockingQueue<Got> q) throws InterruptedException {
    deliver();
    assertThat(q.poll(quietPeriod().toMillis(), TimeUnit.MILLISECONDS)).isNull();
  }

  private byte[] advert(InetAddress src, InetAddress dst, int vrid) {
    VrrpPacket p = new VrrpPacket(3, vrid, 100, 100, List.of(Inet.parse("192.0.2.100")), 0, new byte[0]);
    return VrrpCodec.encode(p, src, dst, ChecksumForm.PSEUDO_HEADER);
  }

  @Test
  void send_toTheGroup_joinedPeerGetsTheAdvert_fromTheSendersAddress_ttl255() throws Exception {
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), GROUP, null, new LinkedBlockingQueue<>());
    open(hostB(), GROUP, null, b);
    assertThat(a.sourceAddress()).isEqualTo(addressA());
    byte[] sent = advert(addressA(), GROUP, 51);
    a.send(GROUP, sent);
    Got g = next(b);
    assertThat(g.vrrp()).isEqualTo(sent);
    assertThat(g.src()).isEqualTo(addressA());
    assertThat(g.dst()).isEqualTo(GROUP);
    assertThat(g.ttl()).isEqualTo(255);
  }

  @Test
  void send_burstOfAdverts_everyOneArrives_inOrder() throws Exception {
    // many instances' masters send together: a receiver that reads a burst in batches loses none of it
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), GROUP, null, new LinkedBlockingQueue<>());
    open(hostB(), GROUP, null, b);
    for (int vrid = 1; vrid <= 150; vrid++) {
      a.send(GROUP, advert(addressA(), GROUP, vrid));
    }
    for (int vrid = 1; vrid <= 150; vrid++) {
      assertThat(next(b).vrrp()).isEqualTo(advert(addressA(), GROUP, vrid));
    }
    nothing(b);
  }

  @Test
  void send_toTheGroup_senderDoesNotHearItself() throws Exception {
    BlockingQueue<Got> self = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), GROUP, null, self);
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    open(hostB(), GROUP, null, b);
    a.send(GROUP, advert(addressA(), GROUP, 51));
    next(b);
    nothing(self);
  }

  @Test
  void send_unicast_reachesThePeerNotJoinedToAnyGroup() throws Exception {
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), null, null, new LinkedBlockingQueue<>());
    open(hostB(), null, null, b);
    byte[] sent = advert(addressA(), addressB(), 52);
    a.send(addressB(), sent);
    Got g = next(b);
    assertThat(g.vrrp()).isEqualTo(sent);
    assertThat(g.src()).isEqualTo(addressA());
    assertThat(g.dst()).isEqualTo(addressB());
    assertThat(g.ttl()).isEqualTo(255);
  }

  @Test
  void open_withoutGroup_multicastIsNotReceived() throws Exception {
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), GROUP, null, new LinkedBlockingQueue<>());
    open(hostB(), null, null, b);
    a.send(GROUP, advert(addressA(), GROUP, 51));
    nothing(b);
  }

  @Test
  void close_leavesTheGroup_noMorePacketsReachTheReceiver() throws Exception {
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), GROUP, null, new LinkedBlockingQueue<>());
    VrrpTransport.Channel cb = open(hostB(), GROUP, null, b);
    a.send(GROUP, advert(addressA(), GROUP, 51));
    next(b);
    cb.close();
    a.send(GROUP, advert(addressA(), GROUP, 51));
    nothing(b);
  }

  @Test
  void close_idleReceiver_returnsPromptly() throws Exception {
    VrrpTransport.Channel cb = open(hostB(), GROUP, null, new LinkedBlockingQueue<>());
    assertThat(cb.inputPending()).isFalse();
    // a receiver blocked waiting for packets is woken by close, not left to its poll timeout
    assertTimeoutPreemptively(Duration.ofSeconds(2), cb::close);
  }

  @Test
  void open_unicastSource_isTheSourceAddressUsed() throws Exception {
    BlockingQueue<Got> b = new LinkedBlockingQueue<>();
    VrrpTransport.Channel a = open(hostA(), null, addressA(), new LinkedBlockingQueue<>());
    open(hostB(), null, null, b);
    assertThat(a.sourceAddress()).isEqualTo(addressA());
    a.send(addressB(), advert(addressA(), addressB(), 53));
    assertThat(next(b).src()).isEqualTo(addressA());
  }

  @Test
  void announce_ipv4Vip_isSent() throws Exception {
    open(hostA(), GROUP, null, new LinkedBlockingQueue<>());
    hostA().announce(IFACE, Inet.parse("192.0.2.100")); // throws if it cannot be sent
  }
}

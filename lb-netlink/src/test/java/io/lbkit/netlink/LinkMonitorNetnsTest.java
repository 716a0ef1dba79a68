package io.lbkit.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lbkit.api.net.IfAddress;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.rtnl.RtnlEvent;
import io.lbkit.netlink.rtnl.RtnlEvent.AddressEvent;
import io.lbkit.netlink.rtnl.RtnlEvent.LinkEvent;
import io.lbkit.harness.Tiers;
import io.lbkit.harness.netns.NetNs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** netns tier: changes made with {@code ip} by hand arrive as typed events within a deadline. */
class LinkMonitorNetnsTest {
  private static final long DEADLINE_MILLIS = 5000;

  private final BlockingQueue<RtnlEvent> events = new LinkedBlockingQueue<>();
  private NetNs ns;
  private LinkMonitor monitor;

  @BeforeEach
  void namespace() throws IOException {
    Tiers.requireRoot("creates network namespaces");
    ns = NetNs.create();
    ns.addDummy("vip0").up("vip0");
    monitor = LinkMonitor.start(ns.name(), events::add);
  }

  @AfterEach
  void cleanUp() {
    try {
      if (monitor != null) {
        monitor.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  /** The first event matching {@code p} within the deadline, or an assertion error listing what came. */
  private <T extends RtnlEvent> T await(Class<T> type, Predicate<T> p) throws InterruptedException {
    List<RtnlEvent> seen = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      RtnlEvent e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) {
        break;
      }
      seen.add(e);
      if (type.isInstance(e) && p.test(type.cast(e))) {
        return type.cast(e);
      }
    }
    throw new AssertionError("no matching " + type.getSimpleName() + " within " + DEADLINE_MILLIS + " ms; got " + seen);
  }

  @Test
  void linkSetDownByHand_arrivesAsLinkEventNotUp() throws Exception {
    ns.down("vip0");
    LinkEvent e = await(LinkEvent.class, l -> l.link().name().equals("vip0") && !l.link().isUp());
    assertThat(e.removed()).isFalse();
    assertThat(e.link().index()).isEqualTo(ns.ifIndex("vip0"));

    ns.up("vip0");
    await(LinkEvent.class, l -> l.link().name().equals("vip0") && l.link().isUp());
  }

  @Test
  void vipRemovedByHand_arrivesAsAddressEventRemoved() throws Exception {
    ns.addAddress("vip0", "192.0.2.200/32");
    AddressEvent added = await(AddressEvent.class, a -> !a.removed());
    assertThat(added.address().address()).isEqualTo(IfAddress.parse("192.0.2.200").withLabel("vip0"));

    ns.delAddress("vip0", "192.0.2.200/32");
    AddressEvent removed = await(AddressEvent.class, AddressEvent::removed);
    assertThat(removed.address().address().address()).isEqualTo(Inet.parse("192.0.2.200"));
    assertThat(removed.address().ifIndex()).isEqualTo(ns.ifIndex("vip0"));
  }

  @Test
  void ipv6VipRemovedByHand_arrivesAsAddressEventRemoved() throws Exception {
    ns.addAddress("vip0", "2001:db8::200/128");
    ns.delAddress("vip0", "2001:db8::200/128");
    AddressEvent removed = await(AddressEvent.class,
        a -> a.removed() && a.address().address().address().equals(Inet.parse("2001:db8::200")));
    assertThat(removed.address().address().prefixLength()).isEqualTo(128);
  }

  @Test
  void linkDeleted_arrivesAsLinkEventRemoved() throws Exception {
    ns.ip("link", "del", "vip0");
    await(LinkEvent.class, l -> l.removed() && l.link().name().equals("vip0"));
  }

  @Test
  void close_stopsThreadPromptlyAndDeliversNothingAfter() throws Exception {
    long t0 = System.nanoTime();
    monitor.close();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(monitor.isRunning()).isFalse();
    assertThat(tookMillis).as("close() wakes the waiting thread").isLessThan(1000);
    events.clear();
    ns.down("vip0");
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(monitor.failure()).isNull();
  }
}

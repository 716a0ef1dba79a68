package io.lbkit.bench.vrrp;

import io.lbkit.api.Family;
import io.lbkit.api.net.Inet;
import io.lbkit.api.vrrp.VirtualAddress;
import io.lbkit.api.vrrp.VrrpInstanceSpec;
import io.lbkit.api.vrrp.VrrpState;
import io.lbkit.testing.FakeAddressManager;
import io.lbkit.testing.ManualClock;
import io.lbkit.vrrp.VrrpRouter;
import io.lbkit.vrrp.VrrpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One VRRP advert on the hot paths, with no listener attached (what a router costs with
 * metrics off), on a manual clock and a transport whose channel sends nowhere:
 * {@code masterSend} is one advert interval of a master (its advert timer fires, the
 * advert goes down to the channel's {@code send}); {@code backupReceive} is one advert of
 * a higher-priority master handed to a backup's channel receiver (decode, demultiplex,
 * FSM: the master-down timer restarts). Run with {@code -prof gc} for the allocation per
 * advert (the manual clock's own task per schedule is included, the same on any commit).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdvertBenchmark {
  static final InetAddress MASTER = Inet.parse("10.0.0.1");
  static final InetAddress BACKUP = Inet.parse("10.0.0.2");
  static final InetAddress GROUP = Inet.parse("224.0.0.18");
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** A transport whose channels send nowhere and keep their receiver for the benchmark to call. */
  static final class NullTransport implements VrrpTransport {
    final InetAddress self;
    volatile Receiver receiver;
    long sent;
    byte[] last;

    NullTransport(InetAddress self) {
      this.self = self;
    }

    @Override
    public Channel open(String interfaceName, Family family, InetAddress group, InetAddress source, Receiver r) {
      receiver = r;
      return new Channel() {
        @Override
        public InetAddress sourceAddress() {
          return self;
        }

        @Override
        public void send(InetAddress dst, byte[] vrrp) {
          sent++;
          last = vrrp;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void announce(String interfaceName, InetAddress address) {}

    @Override
    public boolean linkUp(String interfaceName) {
      return true;
    }
  }

  static VrrpRouter router(NullTransport t, ManualClock clock, int priority) throws IOException {
    VrrpInstanceSpec spec = VrrpInstanceSpec.builder("VI_1", "eth0", 51).priority(priority)
        .advertInterval(INTERVAL).virtualAddresses(List.of(VirtualAddress.of("10.0.0.100"))).build();
    VrrpRouter r = VrrpRouter.builder(t, new FakeAddressManager("eth0"), clock).instance(spec)
        .notifyExecutor(Runnable::run).scriptExecutor(Runnable::run).linkStatus(i -> true)
        .trackingInterval(Duration.ofHours(1)) // tracking re-reads are not the advert path
        .build();
    r.start();
    return r;
  }

  /** A router that is master of VRID 51 and nothing else. */
  @State(Scope.Thread)
  public static class Master {
    ManualClock clock;
    NullTransport transport;
    VrrpRouter router;

    /** Starts the router and lets it take over (no other router is heard). */
    @Setup(Level.Trial)
    public void setup() throws IOException {
      clock = new ManualClock();
      transport = new NullTransport(MASTER);
      router = router(transport, clock, 150);
      clock.advance(Duration.ofSeconds(5));
      if (router.instance("VI_1").state() != VrrpState.MASTER || transport.sent == 0) {
        throw new IllegalStateException("no master: " + router.instance("VI_1").state());
      }
    }

    /** Checks one advert went out per interval, and stops the router. */
    @TearDown(Level.Trial)
    public void tearDown() {
      long intervals = clock.nanoTime() / INTERVAL.toNanos();
      router.close();
      if (transport.sent < intervals - 5) {
        throw new IllegalStateException(transport.sent + " adverts in " + intervals + " intervals");
      }
    }
  }

  /** A backup of VRID 51 and the advert of a higher-priority master. */
  @State(Scope.Thread)
  public static class Backup {
    ManualClock clock;
    VrrpRouter router;
    VrrpTransport.Receiver receiver;
    ByteBuffer advert;

    /** Captures a priority-150 master's advert, starts a priority-100 backup. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
      ManualClock mclock = new ManualClock();
      NullTransport m = new NullTransport(MASTER);
      try (VrrpRouter master = router(m, mclock, 150)) {
        mclock.advance(Duration.ofSeconds(5));
        advert = ByteBuffer.wrap(m.last.clone());
      }
      clock = new ManualClock();
      NullTransport b = new NullTransport(BACKUP);
      router = router(b, clock, 100);
      receiver = b.receiver;
      receiver.received(advert.clear(), MASTER, GROUP, 255);
      clock.advance(Duration.ofSeconds(2));
      receiver.received(advert.clear(), MASTER, GROUP, 255);
      if (router.instance("VI_1").state() != VrrpState.BACKUP) {
        throw new IllegalStateException("not backup: " + router.instance("VI_1").state());
      }
    }

    /** Checks the adverts were accepted (still backup), and stops the router. */
    @TearDown(Level.Trial)
    public void tearDown() {
      VrrpState s = router.instance("VI_1").state();
      long received = router.instance("VI_1").counters().getOrDefault("received", 0L);
      router.close();
      if (s != VrrpState.BACKUP || received < 1000) {
        throw new IllegalStateException("state " + s + ", received " + received);
      }
    }
  }

  /** One advert interval of a master: its timer fires and one advert is sent. */
  @Benchmark
  public long masterSend(Master m) {
    m.clock.advance(INTERVAL);
    return m.transport.sent;
  }

  /** One advert received by a backup: decoded, matched to its instance, master-down timer restarted. */
  @Benchmark
  public Object backupReceive(Backup b) {
    b.receiver.received(b.advert.clear(), MASTER, GROUP, 255);
    return b.receiver;
  }
}

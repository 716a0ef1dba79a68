package io.lbkit.bench.ipvs;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.internal.IpvsCodec;
import io.lbkit.netlink.internal.IpvsDecoder;
import io.lbkit.netlink.internal.NlWriter;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding of IPVS service and destination messages, per message: requests
 * as lbkit sends them and replies as the kernel's dumps send them (with counters). Run
 * with {@code -prof gc} for the allocation per message ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * java -jar lb-bench/target/benchmarks.jar 'io.lbkit.bench.ipvs.IpvsCodecBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IpvsCodecBenchmark {
  private final IpvsCodec codec = new IpvsCodec(0x2a);
  private final NlWriter writer = new NlWriter(4096);
  private final ServiceKey key = ServiceKey.of(Protocol.TCP, Inet.parse("192.168.0.200"), 80);
  private final IpvsService service = new IpvsService(key, Scheduler.WLC, Set.of(),
      Persistence.of(600).withGranularity(24), false);
  private final IpvsDest dest = new IpvsDest(io.lbkit.api.RealServerKey.of("192.168.0.61", 80), Forwarding.DR, 1,
      1000, 10);
  private ByteBuffer serviceBytes;
  private ByteBuffer destBytes;
  private ByteBuffer serviceReply;
  private ByteBuffer destReply;

  /** Builds the messages the decoders read. */
  @Setup
  public void setUp() {
    serviceBytes = copy(w -> codec.newService(w, service));
    destBytes = copy(w -> codec.newDest(w, key, dest));
    serviceReply = copy(IpvsCodecBenchmark::serviceReply);
    destReply = copy(IpvsCodecBenchmark::destReply);
  }

  /**
   * A service as a GET_SERVICE dump sends it (ip_vs_genl_fill_service: IPVS_SVC_ATTR_* with
   * STATS and STATS64 of non-zero counters). Attribute numbers from the uapi header.
   */
  static void serviceReply(NlWriter w) {
    int m = w.beginMessage(0x2a, 2); // NLM_F_MULTI
    w.genl(1, 1); // IPVS_CMD_NEW_SERVICE
    int s = w.beginNested(1); // IPVS_CMD_ATTR_SERVICE
    w.putU16(1, 2).putU16(2, 6).putBytes(3, new byte[] {(byte) 192, (byte) 168, 0, (byte) 200, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0}).putBe16(4, 80).putString(6, "wlc")
        .putBytes(7, new byte[] {3, 0, 0, 0, -1, -1, -1, -1}).putU32(8, 600).putBe32(9, 0xffffff00);
    stats(w, 10, false);
    stats(w, 12, true);
    w.endNested(s);
    w.endMessage(m);
  }

  /** A destination as a GET_DEST dump sends it (ip_vs_genl_fill_dest), counters non-zero. */
  static void destReply(NlWriter w) {
    int m = w.beginMessage(0x2a, 2);
    w.genl(5, 1); // IPVS_CMD_NEW_DEST
    int d = w.beginNested(2); // IPVS_CMD_ATTR_DEST
    w.putBytes(1, new byte[] {(byte) 192, (byte) 168, 0, 61, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).putBe16(2, 80)
        .putU32(3, 2).putU32(4, 1).putU8(13, 0).putBe16(14, 0).putU16(15, 0).putU32(5, 1000).putU32(6, 10)
        .putU32(7, 12).putU32(8, 34).putU32(9, 5).putU16(11, 2);
    stats(w, 10, false);
    stats(w, 12, true);
    w.endNested(d);
    w.endMessage(m);
  }

  private static void stats(NlWriter w, int type, boolean all64) {
    int s = w.beginNested(type);
    for (int t = 1; t <= 10; t++) {
      if (all64 || t == 4 || t == 5) {
        w.putU64(t, 1000L * t + 7);
      } else {
        w.putU32(t, 100 * t + 3);
      }
    }
    w.endNested(s);
  }

  private ByteBuffer copy(java.util.function.Consumer<NlWriter> body) {
    NlWriter w = new NlWriter(256);
    body.accept(w);
    ByteBuffer b = w.flip();
    ByteBuffer heap = ByteBuffer.allocate(b.remaining()).order(java.nio.ByteOrder.nativeOrder());
    heap.put(b).flip();
    return heap;
  }

  /** One IPVS_CMD_NEW_SERVICE into a reused writer. */
  @Benchmark
  public int encodeService() {
    writer.clear();
    codec.newService(writer, service);
    return writer.position();
  }

  /** One IPVS_CMD_NEW_DEST into a reused writer. */
  @Benchmark
  public int encodeDest() {
    writer.clear();
    codec.newDest(writer, key, dest);
    return writer.position();
  }

  /** One service of a request message (no counters), to the domain value. */
  @Benchmark
  public ServiceSnapshot decodeService() throws ProtocolException {
    return IpvsDecoder.service(serviceBytes, 0, serviceBytes.limit());
  }

  /** One destination of a dump, to the domain value. */
  @Benchmark
  public ServiceSnapshot.DestSnapshot decodeDest() throws ProtocolException {
    return IpvsDecoder.dest(destBytes, 0, destBytes.limit(), io.lbkit.api.Family.INET);
  }

  /** One service as the kernel's dump sends it (with STATS and STATS64), to the domain value. */
  @Benchmark
  public ServiceSnapshot decodeServiceReply() throws ProtocolException {
    return IpvsDecoder.service(serviceReply, 0, serviceReply.limit());
  }

  /** One destination as the kernel's dump sends it (counters, STATS and STATS64), to the domain value. */
  @Benchmark
  public ServiceSnapshot.DestSnapshot decodeDestReply() throws ProtocolException {
    return IpvsDecoder.dest(destReply, 0, destReply.limit(), io.lbkit.api.Family.INET);
  }
}

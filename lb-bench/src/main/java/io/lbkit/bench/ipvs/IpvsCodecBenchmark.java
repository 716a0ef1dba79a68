package io.lbkit.bench.ipvs;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Inet;
import io.lbkit.api.IpvsDest;
import io.lbkit.api.IpvsService;
import io.lbkit.api.Persistence;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ServiceSnapshot;
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
 * Encoding and decoding of IPVS service and destination messages, per message. Run with
 * {@code -prof gc} for the allocation per message ({@code gc.alloc.rate.norm}).
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

  /** Builds the messages the decoders read. */
  @Setup
  public void setUp() {
    serviceBytes = copy(w -> codec.newService(w, service));
    destBytes = copy(w -> codec.newDest(w, key, dest));
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

  /** One service of a dump, to the domain value. */
  @Benchmark
  public ServiceSnapshot decodeService() throws ProtocolException {
    return IpvsDecoder.service(serviceBytes, 0, serviceBytes.limit());
  }

  /** One destination of a dump, to the domain value. */
  @Benchmark
  public ServiceSnapshot.DestSnapshot decodeDest() throws ProtocolException {
    return IpvsDecoder.dest(destBytes, 0, destBytes.limit(), io.lbkit.api.Family.INET);
  }
}

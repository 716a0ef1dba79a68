package io.lbkit.bench.nft;

import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.net.Inet;
import io.lbkit.nftables.NftablesIpvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU of one {@code NftablesIpvs.services()} (what a {@code /metrics} scrape reads from the
 * dataplane: the generation, then the counters' set elements, two per real server) in a
 * namespace that exists (root), for each size given: services of 100 real servers (NAT),
 * READS reads after 50, the calling thread's user and system CPU per read (the system part
 * is the kernel's dump: nf_tables walks a set from its start for each ~32 KB part of a dump,
 * so it grows with the square of the elements).
 *
 * <pre>
 *   ip netns add bench-cr; java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.nft.CounterReadCost bench-cr 1000,5000,10000 200
 * </pre>
 */
public final class CounterReadCost {
  private CounterReadCost() {}

  /** NETNS REALS,... [READS=200]. */
  public static void main(String[] args) throws Exception {
    String netns = args[0];
    int reads = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    for (String size : args[1].split(",")) {
      int reals = Integer.parseInt(size);
      try (NftablesIpvs ipvs = NftablesIpvs.open(netns)) {
        ipvs.flush();
        List<IpvsOp> ops = new ArrayList<>();
        for (int s = 0; s < reals / 100; s++) {
          ServiceKey k = ServiceKey.of(Protocol.TCP, Inet.parse("10.1." + s / 250 + "." + (s % 250 + 1)), 80);
          ops.add(new IpvsOp.AddService(IpvsService.of(k, Scheduler.RR)));
          for (int r = 1; r <= 100; r++) {
            ops.add(new IpvsOp.AddDest(k, IpvsDest.of(Inet.parse("10.2." + s % 250 + "." + r), 8080 + s / 250,
                Forwarding.NAT, 1)));
          }
        }
        ipvs.apply(ops);
        for (int i = 0; i < 50; i++) {
          ipvs.services();
        }
        long[] t0 = ticks();
        long w0 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
          ipvs.services();
        }
        long[] t1 = ticks();
        long w1 = System.nanoTime();
        System.out.printf("COUNTER-READ reals=%d: per read user %.2f ms, system %.2f ms, wall %.2f ms (%d reads, "
            + "10 ms ticks)%n", reals, (t1[0] - t0[0]) * 10.0 / reads, (t1[1] - t0[1]) * 10.0 / reads,
            (w1 - w0) / 1e6 / reads, reads);
        ipvs.flush();
      }
    }
  }

  /** This thread's user and system CPU ticks (/proc/thread-self/stat). */
  private static long[] ticks() throws java.io.IOException {
    String s = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }
}

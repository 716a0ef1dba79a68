package io.lbkit.bench.nft;

import io.lbkit.api.Director;
import io.lbkit.api.Scheduler;
import io.lbkit.api.check.HealthEvent;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.Reconciliation;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measure (b) at one table size: a weight change (real server 0: 1 to 2 and back) and a
 * removal (real server 9; put back untimed) on a random wrr service, through NftablesIpvs's
 * {@code apply}, through the Director's {@code onHealth}, and as {@code nft -f} of the
 * nftlb-style rule replaced; lbkit's netlink messages counted per change. Also a weight
 * change on an rr service (one dests element: no rule rewritten) through NftablesIpvs.
 */
final class Changes {
  private final NftComparison c;
  private final Fleet f;
  private final SplittableRandom random = new SplittableRandom(13);

  Changes(NftComparison c, Fleet f) {
    this.c = c;
    this.f = f;
  }

  void run() throws IOException {
    Samples weight = new Samples();
    Samples removal = new Samples();
    Samples element = new Samples();
    Samples dirWeight = new Samples();
    Samples dirRemoval = new Samples();
    Samples nftWeight = new Samples();
    Samples nftRemoval = new Samples();
    long[] msgs = {Long.MAX_VALUE, 0, Long.MAX_VALUE, 0};
    long[] datagrams = {0, 0};
    // each lbkit change of a big table costs the kernel a table-wide check: fewer of them there
    int n = f.services() > 1000 ? Math.max(1, c.plan().lbkitChanges() / 4) : c.plan().lbkitChanges();
    int perRound = Math.max(1, n / Math.max(1, c.plan().nftChanges()));
    try (Lbkit l = Lbkit.open(c.lbkitNs())) {
      Director director = Director.create(l.ipvs);
      Reconciliation r = director.setServices(f.virtualServices());
      if (!r.applied().isEmpty() || !r.failed().isEmpty()) {
        throw new IllegalStateException("the Director over the loaded table changed " + r.applied().size()
            + " and failed " + r.failed().size() + "; expected nothing");
      }
      for (int w = 0; w < Math.min(n, 30); w++) { // warm-up, untimed
        direct(l, wrr(), null, null, null, msgs, datagrams);
        viaDirector(director, wrr(), null, null);
      }
      msgs = new long[] {Long.MAX_VALUE, 0, Long.MAX_VALUE, 0};
      datagrams = new long[] {0, 0};
      for (int done = 0, round = 0; done < n || round < c.plan().nftChanges(); round++) {
        if (round < c.plan().nftChanges()) {
          int i = wrr();
          Anchor nft = c.nft();
          nftWeight.add(nft.nftlbReplace(i, NftComparison.weights(0, 2)));
          nftWeight.add(nft.nftlbReplace(i, NftComparison.weights(0, 1)));
          // a removal, not put back (nft's slowest runs are not doubled); a service drawn twice is replaced alike
          nftRemoval.add(nft.nftlbReplace(wrr(), List.of(1, 1, 1, 1, 1, 1, 1, 1, 1)));
        }
        for (int k = 0; k < perRound && done < n; k++, done++) {
          direct(l, wrr(), weight, removal, element, msgs, datagrams);
          viaDirector(director, wrr(), dirWeight, dirRemoval);
        }
      }
    }
    int size = f.services();
    c.messagesPerChange().put(size, msgs);
    c.out().printf("change with %d services: weight: NftablesIpvs %s, Director %s, nft -f %s; removal: NftablesIpvs"
        + " %s, Director %s, nft -f %s; netlink messages sent per weight change %s, per removal %s (datagrams sent"
        + " per change %s); nft/lbkit %s (weight) %s (removal); rr weight change (one element) NftablesIpvs %s%n", size, weight.text(), dirWeight.text(),
        nftWeight.text(), removal.text(), dirRemoval.text(), nftRemoval.text(), range(msgs[0], msgs[1]),
        range(msgs[2], msgs[3]), Samples.ratio(datagrams[0], datagrams[1]),
        Samples.ratio(nftWeight.median(), weight.median()), Samples.ratio(nftRemoval.median(), removal.median()),
        element.text());
    c.ratios().put("weight" + size, "1/" + Samples.ratio(nftWeight.median(), weight.median()));
    c.ratios().put("removal" + size, "1/" + Samples.ratio(nftRemoval.median(), removal.median()));
    c.ratios().put("msgs" + size, range(msgs[0], msgs[1]) + "+" + range(msgs[2], msgs[3]));
    c.changeMedians().put(size, new long[] {weight.median(), removal.median(), element.median()});
  }

  private static String range(long min, long max) {
    return min == max ? Long.toString(min) : min + "-" + max;
  }

  /** A random wrr service. */
  private int wrr() {
    int i = random.nextInt(f.services());
    return Fleet.scheduler(i) == Scheduler.WRR ? i : i - 1;
  }

  /** Weight 1 to 2 and back, then removal and the real server put back (untimed); and the same weight change on an rr service. */
  private void direct(Lbkit l, int i, Samples weight, Samples removal, Samples element, long[] msgs,
      long[] datagrams) throws IOException {
    weight(l, new IpvsOp.UpdateDest(Fleet.key(i), Fleet.dest(i, 0, 2)), weight, msgs, 0, datagrams);
    weight(l, new IpvsOp.UpdateDest(Fleet.key(i), Fleet.dest(i, 0, 1)), weight, msgs, 0, datagrams);
    weight(l, new IpvsOp.DeleteDest(Fleet.key(i), Fleet.realKey(i, Fleet.REALS - 1)), removal, msgs, 2, datagrams);
    l.ipvs.apply(List.of(new IpvsOp.AddDest(Fleet.key(i), Fleet.dest(i, Fleet.REALS - 1, 1))));
    int rr = i - i % 10 + 9;
    if (rr < f.services()) {
      weight(l, new IpvsOp.UpdateDest(Fleet.key(rr), Fleet.dest(rr, 0, 2)), element, new long[4], 0, new long[2]);
      weight(l, new IpvsOp.UpdateDest(Fleet.key(rr), Fleet.dest(rr, 0, 1)), element, new long[4], 0, new long[2]);
    }
  }

  private static void weight(Lbkit l, IpvsOp op, Samples into, long[] msgs, int at, long[] datagrams)
      throws IOException {
    long m0 = l.counter.messages;
    long d0 = l.counter.sent;
    long t0 = System.nanoTime();
    l.ipvs.apply(List.of(op));
    long t = System.nanoTime() - t0;
    long m = l.counter.messages - m0;
    if (into != null) {
      into.add(t);
      msgs[at] = Math.min(msgs[at], m);
      msgs[at + 1] = Math.max(msgs[at + 1], m);
      datagrams[0] += l.counter.sent - d0;
      datagrams[1]++;
    }
  }

  private void viaDirector(Director d, int i, Samples weight, Samples removal) throws IOException {
    timed(d, new HealthEvent(Fleet.key(i), Fleet.realKey(i, 0), true, 2, "bench"), weight);
    timed(d, new HealthEvent(Fleet.key(i), Fleet.realKey(i, 0), true, -1, "bench"), weight);
    timed(d, HealthEvent.down(Fleet.key(i), Fleet.realKey(i, Fleet.REALS - 1), "bench"), removal);
    timed(d, HealthEvent.up(Fleet.key(i), Fleet.realKey(i, Fleet.REALS - 1), "bench"), null);
  }

  private static void timed(Director d, HealthEvent e, Samples into) throws IOException {
    long t0 = System.nanoTime();
    Reconciliation r = d.onHealth(e);
    long t = System.nanoTime() - t0;
    if (r.applied().size() != 1 || !r.failed().isEmpty()) {
      throw new IllegalStateException("health event " + e + " made " + r.applied() + ", failed " + r.failed());
    }
    if (into != null) {
      into.add(t);
    }
  }
}

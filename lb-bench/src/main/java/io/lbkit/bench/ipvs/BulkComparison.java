package io.lbkit.bench.ipvs;

import io.lbkit.api.Director;
import io.lbkit.api.Forwarding;
import io.lbkit.api.Protocol;
import io.lbkit.api.RealServer;
import io.lbkit.api.Scheduler;
import io.lbkit.api.ServiceKey;
import io.lbkit.api.VirtualService;
import io.lbkit.api.ipvs.IpvsDest;
import io.lbkit.api.ipvs.IpvsOp;
import io.lbkit.api.ipvs.IpvsService;
import io.lbkit.api.ipvs.Reconciliation;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.api.ipvsadm.IpvsadmFormat;
import io.lbkit.api.net.Inet;
import io.lbkit.netlink.NetlinkIpvs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * lbkit against ipvsadm on a real IPVS kernel, in one run (inside the kernel VM; see
 * {@code lb-bench/scripts/ipvs-bulk.sh}): install 1,000 services x 10 destinations, read
 * the table back, and change one weight (the first change, then 20 more: their median against
 * an {@code ipvsadm -e} process's). Prints medians and ratios; run as root on a
 * kernel with IPVS. It flushes the IPVS table of the current network namespace.
 */
public final class BulkComparison {
  private BulkComparison() {}

  static final int SERVICES = 1000;
  static final int DESTS = 10;
  /** Weight changes timed after the first (which runs code the JVM has not run yet). */
  static final int CHANGES = 20;
  /** ipvsadm -e processes timed for the same change. */
  static final int IPVSADM_CHANGES = 5;

  static ServiceKey svc(int i) {
    return ServiceKey.of(Protocol.TCP, Inet.of(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 80);
  }

  static List<IpvsOp> table() {
    List<IpvsOp> ops = new ArrayList<>(SERVICES * (DESTS + 1));
    for (int i = 0; i < SERVICES; i++) {
      ServiceKey k = svc(i);
      ops.add(new IpvsOp.AddService(IpvsService.of(k, i % 2 == 0 ? Scheduler.RR : Scheduler.WLC)));
      for (int d = 0; d < DESTS; d++) {
        ops.add(new IpvsOp.AddDest(k, IpvsDest.of(Inet.of(new byte[] {10, 2, (byte) i, (byte) (d + 1)}), 80,
            Forwarding.DR, 1 + d)));
      }
    }
    return ops;
  }

  static List<VirtualService> desired() {
    List<VirtualService> out = new ArrayList<>(SERVICES);
    for (int i = 0; i < SERVICES; i++) {
      VirtualService v = VirtualService.of(svc(i)).scheduler(i % 2 == 0 ? Scheduler.RR : Scheduler.WLC).dr();
      for (int d = 0; d < DESTS; d++) {
        v = v.add(RealServer.of(Inet.of(new byte[] {10, 2, (byte) i, (byte) (d + 1)}), 80).weight(1 + d));
      }
      out.add(v);
    }
    return out;
  }

  static long ipvsadm(File stdin, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ipvsadm"));
    argv.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (stdin != null) {
      pb.redirectInput(stdin);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("ipvsadm " + String.join(" ", args) + " ran past 300 s");
    }
    long t = System.nanoTime() - t0;
    if (p.exitValue() != 0) {
      throw new IOException("ipvsadm " + String.join(" ", args) + " exited " + p.exitValue());
    }
    return t;
  }

  static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static String ms(long ns) {
    return String.format("%.1f ms", ns / 1e6);
  }

  /**
   * Runs the comparison; {@code args[0]} = rounds of install and read-back (default 5),
   * {@code args[1]} = extra interleaved read-back pairs on the installed table (default 0).
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    if (rounds < 1 || rounds > 50) {
      throw new IllegalArgumentException("rounds out of range 1-50: " + rounds);
    }
    int readPairs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    if (readPairs < 0 || readPairs > 100) {
      throw new IllegalArgumentException("read pairs out of range 0-100: " + readPairs);
    }
    List<IpvsOp> ops = table();
    Path rules = Files.createTempFile("lbkit-bench", ".rules");
    try (NetlinkIpvs ipvs = NetlinkIpvs.open()) {
      StringBuilder text = new StringBuilder();
      for (IpvsOp op : ops) {
        text.append(op).append('\n');
      }
      Files.writeString(rules, text);
      long[] lbkitInstall = new long[rounds];
      long[] ipvsadmInstall = new long[rounds];
      long[] lbkitRead = new long[rounds];
      long[] lbkitReadSave = new long[rounds];
      long[] ipvsadmRead = new long[rounds];
      // one unmeasured round each to warm the JIT, page cache and kernel slabs
      for (int r = -1; r < rounds; r++) {
        ipvs.flush();
        long t0 = System.nanoTime();
        ipvs.apply(ops);
        long t = System.nanoTime() - t0;
        if (r >= 0) {
          lbkitInstall[r] = t;
        }
        t0 = System.nanoTime();
        List<ServiceSnapshot> read = ipvs.services();
        long tRead = System.nanoTime() - t0;
        String saved = IpvsadmFormat.save(read, true);
        long tSave = System.nanoTime() - t0;
        check(read);
        if (saved.isEmpty()) {
          throw new IllegalStateException("empty ipvsadm -S rendering");
        }
        long tIpvsadmRead = ipvsadm(null, "-S", "-n");
        ipvs.flush();
        long tIpvsadm = ipvsadm(rules.toFile(), "-R");
        check(ipvs.services());
        if (r >= 0) {
          ipvsadmInstall[r] = tIpvsadm;
          lbkitRead[r] = tRead;
          lbkitReadSave[r] = tSave;
          ipvsadmRead[r] = tIpvsadmRead;
        }
        // each round as it ends, so that a run cut short still reports
        System.out.printf("round %d%s: install lbkit %s / ipvsadm -R %s = %.2f; read lbkit %s (+text %s) / "
            + "ipvsadm -S %s = %.2f%n", r, r < 0 ? " (warm-up)" : "", ms(t), ms(tIpvsadm), (double) t / tIpvsadm,
            ms(tRead), ms(tSave), ms(tIpvsadmRead), (double) tRead / tIpvsadmRead);
        System.out.flush();
      }
      // read-back only, as interleaved pairs on the table ipvsadm -R left: the machine's load
      // drifts over a round's minutes, a pair's two reads are seconds apart
      double[] pairRatios = new double[readPairs];
      for (int r = 0; r < readPairs; r++) {
        long t0 = System.nanoTime();
        List<ServiceSnapshot> read = ipvs.services();
        long tRead = System.nanoTime() - t0;
        check(read);
        long tIpvsadmRead = ipvsadm(null, "-S", "-n");
        pairRatios[r] = (double) tRead / tIpvsadmRead;
        System.out.printf("read pair %d: lbkit dump %s / ipvsadm -S -n %s = %.2f%n", r, ms(tRead), ms(tIpvsadmRead),
            pairRatios[r]);
        System.out.flush();
      }
      ipvs.flush();
      Director director = Director.create(ipvs);
      List<VirtualService> want = desired();
      long t0 = System.nanoTime();
      Reconciliation first = director.setServices(want);
      long tDirector = System.nanoTime() - t0;
      List<VirtualService> changed = new ArrayList<>(want);
      VirtualService v = changed.get(500);
      changed.set(500, v.put(v.realServers().get(3).weight(100)));
      t0 = System.nanoTime();
      Reconciliation one = director.setServices(changed);
      long tOne = System.nanoTime() - t0; // the first: code this JVM has not run yet (class loading, interpreter)
      // then CHANGES more, alternating the weight, as a running director makes them; ipvsadm -e is a process each time
      long[] tChanges = new long[CHANGES];
      long[] tIpvsadmChanges = new long[IPVSADM_CHANGES];
      int changeOps = 0;
      for (int i = 0; i < CHANGES; i++) {
        changed.set(500, v.put(v.realServers().get(3).weight(i % 2 == 0 ? 99 : 100)));
        t0 = System.nanoTime();
        changeOps += director.setServices(changed).applied().size();
        tChanges[i] = System.nanoTime() - t0;
      }
      for (int i = 0; i < IPVSADM_CHANGES; i++) {
        tIpvsadmChanges[i] = ipvsadm(null, "-e", "-t", "10.1.1.244:80", "-r", "10.2.244.4:80", "-g", "-w",
            String.valueOf(101 + i % 2));
      }
      ipvs.flush();

      System.out.printf("IPVS bulk comparison, %d services x %d destinations = %d objects, median of %d rounds%n",
          SERVICES, DESTS, ops.size(), rounds);
      System.out.printf("install: lbkit apply %s, ipvsadm -R %s: ratio lbkit/ipvsadm = %.2f (goal <= 0.5)%n",
          ms(median(lbkitInstall)), ms(median(ipvsadmInstall)), (double) median(lbkitInstall) / median(ipvsadmInstall));
      System.out.printf("read-back: lbkit dump %s, lbkit dump + ipvsadm -S text %s, ipvsadm -S -n %s: "
          + "ratio %.2f / %.2f (goal <= 1)%n", ms(median(lbkitRead)), ms(median(lbkitReadSave)),
          ms(median(ipvsadmRead)), (double) median(lbkitRead) / median(ipvsadmRead),
          (double) median(lbkitReadSave) / median(ipvsadmRead));
      if (readPairs > 0) {
        double[] sorted = pairRatios.clone();
        Arrays.sort(sorted);
        System.out.printf("read-back pairs: median ratio lbkit dump / ipvsadm -S -n = %.2f over %d pairs "
            + "(min %.2f, max %.2f) (goal <= 1)%n", sorted[sorted.length / 2], readPairs, sorted[0],
            sorted[sorted.length - 1]);
      }
      System.out.printf("Director first setServices on an empty kernel: %d ops in %s (%.2f x ipvsadm -R)%n",
          first.applied().size(), ms(tDirector), (double) tDirector / median(ipvsadmInstall));
      System.out.printf("one change in the table: Director issued %d op(s) (goal 1): %s; the first in %s "
          + "(cold code); the next %d: %d op(s) in all, median %s, max %s; one ipvsadm -e process: median %s of %d "
          + "(ratio Director/ipvsadm -e %.3f)%n", one.applied().size(), one.applied(), ms(tOne), CHANGES, changeOps,
          ms(median(tChanges)), ms(Arrays.stream(tChanges).max().orElse(0)), ms(median(tIpvsadmChanges)),
          IPVSADM_CHANGES, (double) median(tChanges) / median(tIpvsadmChanges));
    } finally {
      Files.deleteIfExists(rules);
    }
  }

  private static void check(List<ServiceSnapshot> read) {
    int objects = read.size();
    for (ServiceSnapshot s : read) {
      objects += s.dests().size();
    }
    if (objects != SERVICES * (DESTS + 1)) {
      throw new IllegalStateException("expected " + SERVICES * (DESTS + 1) + " objects in the kernel, read " + objects);
    }
  }
}

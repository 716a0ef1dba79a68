package io.lbkit.bench.nft;

import io.lbkit.api.Director;
import io.lbkit.api.ipvs.ServiceSnapshot;
import io.lbkit.nftables.NftablesIpvs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * lbkit's nftables dataplane against {@code nft -f}, in one run on one machine (issue 13's
 * performance section; see {@code lb-bench/scripts/nftables-vs-nft.sh}, which makes the two
 * network namespaces and removes them). lbkit works in one namespace, nft in the other, so
 * neither's writes move the other's ruleset generation. Measures, each as medians of
 * interleaved runs: (a) install {@link Plan#install()} services x 10 in-process against
 * {@code nft -f} nftlb style and kube-proxy style, and whole-process {@code lbctl apply};
 * (b) one weight change and one real-server removal with each of {@link Plan#changeSizes()}
 * loaded, through {@link NftablesIpvs} and through the {@link Director}, against {@code nft
 * -f} of the same change, with the netlink messages each lbkit change sent; (c) install the
 * biggest table against {@code nft -f} nftlb style; (d) read it back against {@code nft list
 * ruleset}. Prints one line per measure and a last line beginning {@code NFT} with the ratios
 * (lbkit's time / the anchor's).
 */
public final class NftComparison {
  private final Plan plan;
  private final String lbkitNs;
  private final Anchor lbkitSide;
  private final Anchor nft;
  private final Path dir;
  private final PrintStream out;
  private final Map<String, String> ratios = new LinkedHashMap<>();
  private final Map<Integer, long[]> messages = new LinkedHashMap<>();
  private final Map<Integer, long[]> changeMedians = new LinkedHashMap<>();

  NftComparison(Plan plan, String lbkitNs, String nftNs, Path dir, PrintStream out) {
    this.plan = plan;
    this.lbkitNs = lbkitNs;
    this.lbkitSide = new Anchor(lbkitNs, dir);
    this.nft = new Anchor(nftNs, dir);
    this.dir = dir;
    this.out = out;
  }

  /**
   * {@code NftComparison LBKIT_NS NFT_NS [ROUNDS [LBCTL_JAR|- [INSTALL SIZE,SIZE...]]]}: both
   * namespaces must exist and hold no nftables state the caller cares about (they are
   * flushed). Without sizes, issue 13's: install 1,000, changes with 100, 1,000 and 10,000.
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // the Director logs every health change
    if (args.length < 2) {
      System.err.println("usage: NftComparison LBKIT_NS NFT_NS [ROUNDS [LBCTL_JAR|- [INSTALL SIZE,SIZE...]]]");
      System.exit(2);
    }
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path jar = args.length > 3 && !args[3].equals("-") ? Path.of(args[3]) : null;
    Plan plan = Plan.full(rounds, jar);
    if (args.length > 5) { // smaller sizes, for trying it out: INSTALL SIZE,SIZE,...
      plan = new Plan(Integer.parseInt(args[4]), java.util.Arrays.stream(args[5].split(",")).map(Integer::valueOf)
          .toList(), rounds, plan.lbkitChanges(), plan.nftChanges(), jar, plan.kube());
    }
    Path dir = Files.createTempDirectory("lbbench-nft-");
    try {
      new NftComparison(plan, args[0], args[1], dir, System.out).run();
    } finally {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  void run() throws IOException {
    install();
    for (int size : plan.changeSizes()) {
      Fleet f = new Fleet(size);
      if (size == plan.big()) {
        bigInstall(f);
      } else {
        lbkitSide.flush();
        nft.flush();
        try (Lbkit l = Lbkit.open(lbkitNs)) {
          l.ipvs.apply(f.ops());
        }
        nft.nftFile("load.nft", f.nftlb());
      }
      new Changes(this, f).run();
    }
    long[] small = changeMedians.get(plan.changeSizes().get(0));
    long[] large = changeMedians.get(plan.big());
    out.printf("change flatness, NftablesIpvs at %d / at %d services: weight %s, removal %s, rr weight (one element) %s%n",
        plan.big(), plan.changeSizes().get(0), Samples.ratio(large[0], small[0]), Samples.ratio(large[1], small[1]),
        Samples.ratio(large[2], small[2]));
    ratios.put("flat", Samples.ratio(large[0], small[0]) + "/" + Samples.ratio(large[1], small[1]) + "/"
        + Samples.ratio(large[2], small[2]));
    read();
    StringBuilder b = new StringBuilder("NFT");
    ratios.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    out.println(b);
  }

  /** The figures of the NFT line, by name. */
  Map<String, String> ratios() {
    return ratios;
  }

  /** Per table size: the netlink messages of a weight change and of a removal, {min, max, min, max}. */
  Map<Integer, long[]> messagesPerChange() {
    return messages;
  }

  /** Per table size: the median nanoseconds of a weight change and of a removal through NftablesIpvs. */
  Map<Integer, long[]> changeMedians() {
    return changeMedians;
  }

  PrintStream out() {
    return out;
  }

  Plan plan() {
    return plan;
  }

  Anchor nft() {
    return nft;
  }

  String lbkitNs() {
    return lbkitNs;
  }

  /** (a) */
  private void install() throws IOException {
    Fleet f = new Fleet(plan.install());
    Path nftlb = write("nftlb.nft", f.nftlb());
    Path kube = plan.kube() ? write("kube.nft", f.kube()) : null;
    Path conf = write("keepalived.conf", f.keepalivedConf());
    Samples lbkit = new Samples();
    Samples nftlbT = new Samples();
    Samples kubeT = new Samples();
    Samples lbctl = new Samples();
    for (int r = 0; r < plan.rounds(); r++) {
      lbkitSide.flush();
      lbkit.add(lbkitInstall(f));
      nft.flush();
      nftlbT.add(nft.nftFile(nftlb));
      if (kube != null) {
        nft.flush();
        kubeT.add(nft.nftFile(kube));
      }
      if (plan.lbctlJar() != null) {
        lbkitSide.flush();
        String java = ProcessHandle.current().info().command().orElse("java");
        lbctl.add(Anchor.run(List.of(java, "-jar", plan.lbctlJar().toString(), "apply", "--netns", lbkitNs,
            "--dataplane", "nftables", conf.toString())));
        check(plan.install());
      }
    }
    int n = plan.install();
    out.printf("install %d x %d: lbkit in-process %s; nft -f nftlb style %s; ratio %s%n", n, Fleet.REALS,
        lbkit.text(), nftlbT.text(), Samples.ratio(lbkit.median(), nftlbT.median()));
    ratios.put("install" + n, Samples.ratio(lbkit.median(), nftlbT.median()));
    if (kube != null) {
      out.printf("install %d x %d: nft -f kube-proxy style %s; lbkit in-process / it %s%n", n, Fleet.REALS,
          kubeT.text(), Samples.ratio(lbkit.median(), kubeT.median()));
      ratios.put("install" + n + "kube", Samples.ratio(lbkit.median(), kubeT.median()));
    }
    if (plan.lbctlJar() != null) {
      out.printf("install %d x %d: lbctl apply (whole process, JVM start included) %s; / nft -f nftlb style %s%n", n,
          Fleet.REALS, lbctl.text(), Samples.ratio(lbctl.median(), nftlbT.median()));
      ratios.put("lbctl" + n, Samples.ratio(lbctl.median(), nftlbT.median()));
    }
  }

  /** Opens, installs the fleet in one call, closes: lbkit's install from an empty namespace. */
  private long lbkitInstall(Fleet f) throws IOException {
    var ops = f.ops();
    long t0 = System.nanoTime();
    try (Lbkit l = Lbkit.open(lbkitNs)) {
      l.ipvs.apply(ops);
    }
    long t = System.nanoTime() - t0;
    check(f.services());
    return t;
  }

  /** (c): interleaved rounds; the tables stay loaded after the last. */
  private void bigInstall(Fleet f) throws IOException {
    Path nftlb = write("big.nft", f.nftlb());
    Samples lbkit = new Samples();
    Samples nftT = new Samples();
    for (int r = 0; r < plan.rounds(); r++) {
      lbkitSide.flush();
      lbkit.add(lbkitInstall(f));
      nft.flush();
      nftT.add(nft.nftFile(nftlb));
    }
    out.printf("install %d x %d: lbkit in-process %s; nft -f nftlb style %s; ratio %s%n", f.services(), Fleet.REALS,
        lbkit.text(), nftT.text(), Samples.ratio(lbkit.median(), nftT.median()));
    ratios.put("install" + f.services(), Samples.ratio(lbkit.median(), nftT.median()));
  }

  /** (d): lbkit's table, as loaded by the last install, read by lbkit and listed by nft, interleaved. */
  private void read() throws IOException {
    Samples lbkit = new Samples();
    Samples list = new Samples();
    for (int r = 0; r < plan.rounds(); r++) {
      long t0 = System.nanoTime();
      List<ServiceSnapshot> s = NftablesIpvs.read(lbkitNs);
      lbkit.add(System.nanoTime() - t0);
      if (s.size() != plan.big()) {
        throw new IllegalStateException("read back " + s.size() + " services, expected " + plan.big());
      }
      list.add(lbkitSide.inNs("nft", "list", "ruleset"));
    }
    out.printf("read back %d x %d: lbkit NftablesIpvs.read %s; nft list ruleset (same table) %s; ratio %s%n",
        plan.big(), Fleet.REALS, lbkit.text(), list.text(), Samples.ratio(lbkit.median(), list.median()));
    ratios.put("read" + plan.big(), Samples.ratio(lbkit.median(), list.median()));
  }

  private void check(int services) throws IOException {
    int n = NftablesIpvs.read(lbkitNs).size();
    if (n != services) {
      throw new IllegalStateException("lbkit's table holds " + n + " services, expected " + services);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static List<Integer> weights(int d, int w) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < Fleet.REALS; i++) {
      out.add(i == d ? w : 1);
    }
    return out;
  }
}

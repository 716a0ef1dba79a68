package io.lbkit.bench.nft;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link NftComparison} runs.
 *
 * @param install the services of measure (a), installed in-process, by {@code nft -f} both styles, and by lbctl
 * @param changeSizes the table sizes of measure (b), ascending; the last is also measure (c)'s and (d)'s size
 * @param rounds install and read rounds (medians are taken)
 * @param lbkitChanges lbkit changes of each kind per size (after as many untimed warm-up ones)
 * @param nftChanges {@code nft -f} changes of each kind per size
 * @param lbctlJar lb-cli's lbctl.jar, or null to skip the whole-process {@code lbctl apply}
 * @param kube whether to install the kube-proxy-style ruleset too
 */
record Plan(int install, List<Integer> changeSizes, int rounds, int lbkitChanges, int nftChanges, Path lbctlJar,
    boolean kube) {
  /** Issue 13's sizes: 1,000 installed; changes with 100, 1,000, 10,000; 10,000 installed and read. */
  static Plan full(int rounds, Path lbctlJar) {
    return new Plan(1000, List.of(100, 1000, 10000), rounds, 200, 3, lbctlJar, true);
  }

  /** The biggest table. */
  int big() {
    return changeSizes.get(changeSizes.size() - 1);
  }
}

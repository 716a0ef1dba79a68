/**
 * lbkit's nftables dataplane against {@code nft -f} (issue 13's benchmarks): the entry is
 * {@link io.lbkit.bench.nft.NftComparison}, run by {@code lb-bench/scripts/nftables-vs-nft.sh}; the
 * counters read of a scrape: {@link io.lbkit.bench.nft.CounterReadCost}.
 */
package io.lbkit.bench.nft;

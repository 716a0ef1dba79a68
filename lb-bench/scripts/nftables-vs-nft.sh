#!/usr/bin/env bash
# lbkit's nftables dataplane against nft -f, in ONE run on this host (issue 13's performance
# section), in two network namespaces this script creates and removes (lbkit works in one, nft
# in the other, so neither's writes move the other's ruleset generation):
#  (a) install 1,000 services x 10 real servers: NftablesIpvs in-process vs nft -f of the
#      nftlb-style ruleset (one rule per service, dnat to numgen inc mod N map {...}) and of the
#      kube-proxy-style one; whole-process 'lbctl apply --dataplane nftables' of the same
#      keepalived.conf;
#  (b) one weight change and one real-server removal with 100, 1,000 and 10,000 services
#      loaded: NftablesIpvs and Director vs nft -f of the same change, and the netlink
#      messages per lbkit change;
#  (c) install 10,000 x 10 vs nft -f nftlb style;  (d) read it back vs nft list ruleset.
# One summary line per measure, then a line beginning NFT with the ratios (lbkit / nft; a
# change as 1/N: lbkit took 1/N of nft's time). Medians of interleaved runs. About 5-10 minutes.
#
# usage (from anywhere, as root): lb-bench/scripts/nftables-vs-nft.sh [ROUNDS]   (default 3)
# SKIP_BUILD=1 uses the jars as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
if [ "${SKIP_BUILD:-}" != 1 ]; then
  mvn -o -B -q -pl lb-bench,lb-cli -am package -DskipTests
fi
command -v nft >/dev/null || { echo "nft is not installed" >&2; exit 1; }
prefix="lbnftb-$$"
ip netns add "$prefix-lbkit"
trap 'ip netns del "$prefix-lbkit" 2>/dev/null || true; ip netns del "$prefix-nft" 2>/dev/null || true' EXIT
ip netns add "$prefix-nft"
echo "nft: $(nft --version); kernel $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
timeout 1200 java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.nft.NftComparison \
  "$prefix-lbkit" "$prefix-nft" "$rounds" lb-cli/target/lbctl.jar
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

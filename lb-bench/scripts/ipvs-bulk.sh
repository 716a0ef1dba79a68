#!/usr/bin/env bash
# IPVS bulk comparison, lbkit vs ipvsadm, in ONE run inside the kernel VM:
# 1,000 services x 10 destinations installed (lbkit apply vs ipvsadm -R), read back
# (lbkit dump vs ipvsadm -S -n) and one weight changed (ops issued by the Director).
# Then the JMH codec benchmarks (on the host: they need no kernel) with -prof gc.
#
# VM_TIMEOUT (seconds, default 900) bounds the VM on a loaded machine. VM_TCG (default single)
# is vm-run's --tcg: under thread=multi this JIT-heavy run crashed the JVM (SIGSEGV at the entry
# of a C1 method the JIT had just patched, 2 of 10 runs; see tools/kernel-vm/README.md), under
# single 0 of 8.
# usage (from the project root, as root): lb-bench/scripts/ipvs-bulk.sh [ROUNDS [READ_PAIRS]]
# READ_PAIRS: extra read-back measurements as interleaved lbkit/ipvsadm pairs (each
# pair's ratio is printed, then their median); they are cheap next to an install round.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
pairs=${2:-0}
mvn -o -B -q -pl lb-bench -am package -DskipTests
tools/kernel-vm/vm-run --timeout "${VM_TIMEOUT:-900}" --tcg "${VM_TCG:-single}" -- java -cp lb-bench/target/benchmarks.jar io.lbkit.bench.ipvs.BulkComparison "$rounds" "$pairs"
if [ "${SKIP_JMH:-}" != 1 ]; then
  java -jar lb-bench/target/benchmarks.jar 'io.lbkit.bench.ipvs.IpvsCodecBenchmark' -prof gc ${JMH_ARGS:-}
fi

#!/bin/sh
# VRRP benchmarks (root): failover time lbkit<->lbkit vs keepalived<->keepalived (same namespaces, same run)
# and the idle cost of 100 instances (CPU time of each side over the same window, after a warm-up that lets
# the JIT finish; the machine's load is printed around each part, as the numbers depend on it).
# Build first: mvn -o -B -q -pl lb-bench -am package -DskipTests
# Usage: vrrp-bench.sh [ROUNDS] [IDLE_SECONDS] [IDLE_WARMUP_SECONDS]
set -eu
JAR="$(dirname "$0")/../target/benchmarks.jar"
ROUNDS="${1:-10}"
IDLE="${2:-60}"
WARMUP="${3:-90}"
uptime
java -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$ROUNDS" v3-50ms
uptime
java -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$((ROUNDS / 3 + 1))" v2-1s
uptime
java -cp "$JAR" io.lbkit.bench.vrrp.IdleCostBench 100 "$IDLE" "$WARMUP"
uptime

#!/bin/sh
# VRRP benchmarks (root): failover time lbkit<->lbkit vs keepalived<->keepalived (same namespaces, same run)
# and the idle cost of 100 instances (CPU time of each side over the same window, after a warm-up that lets
# the JIT finish; the machine's load is printed around each part, as the numbers depend on it).
# Build first: mvn -o -B -q -pl lb-bench -am package -DskipTests
# Usage: [TRACE=1] vrrp-bench.sh [ROUNDS] [IDLE_SECONDS] [IDLE_WARMUP_SECONDS]
# TRACE=1: the lbkit backup prints each takeover's legs (receive -> arm -> timer -> send, microseconds).
set -eu
JAR="$(dirname "$0")/../target/benchmarks.jar"
TRACE_OPT=""
if [ "${TRACE:-0}" = 1 ]; then TRACE_OPT="-Dlbkit.vrrp.trace=true"; fi
ROUNDS="${1:-10}"
IDLE="${2:-60}"
WARMUP="${3:-90}"
uptime
java $TRACE_OPT -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$ROUNDS" v3-50ms
uptime
java $TRACE_OPT -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$((ROUNDS / 3 + 1))" v2-1s
uptime
java -cp "$JAR" io.lbkit.bench.vrrp.IdleCostBench 100 "$IDLE" "$WARMUP"
uptime

#!/bin/sh
# VRRP benchmarks (root): failover time lbkit<->lbkit vs keepalived<->keepalived (same namespaces, same run)
# and the idle cost of 100 instances. Build first: mvn -o -B -q -pl lb-bench -am package -DskipTests
set -eu
JAR="$(dirname "$0")/../target/benchmarks.jar"
ROUNDS="${1:-10}"
java -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$ROUNDS" v3-50ms
java -cp "$JAR" io.lbkit.bench.vrrp.FailoverBench "$((ROUNDS / 3 + 1))" v2-1s
java -cp "$JAR" io.lbkit.bench.vrrp.IdleCostBench 100 20

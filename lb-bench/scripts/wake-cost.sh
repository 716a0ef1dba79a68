#!/usr/bin/env bash
# What one wake-up of an idle thread costs on this machine, by how long it slept (io.lbkit.bench.vrrp.WakeCost):
# the floor under the idle-cost figures of IdleCostBench, whose threads wake a few times a second. A thread that only
# sleeps (LockSupport.parkNanos) and wakes, under the JVM options IdleCostBench's row uses (`lbctl run`'s), measured
# from its schedstat. Prints a line per period and a final line beginning WAKE. ~2 minutes with the defaults.
#   lb-bench/scripts/wake-cost.sh [PERIODS_MS=10,100,500,1000,3000] [MIN_WAKES=20] [MIN_SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=lb-bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "build first: mvn -o -B -q -pl lb-bench -am package -DskipTests" >&2; exit 1; }
exec java -XX:-UsePerfData -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 \
  -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=0 -XX:GuaranteedSafepointInterval=0 \
  -cp "$JAR" io.lbkit.bench.vrrp.WakeCost "${1:-10,100,500,1000,3000}" "${2:-20}" "${3:-10}"

#!/bin/sh
# Sustained HTTP_GET checks/s, CPU and heap from one HealthMonitor against local backends,
# then detection latency. Loopback only; bounded (SECONDS of load + at most 30 s detection).
# usage: lb-bench/scripts/checks-load.sh [BACKENDS=2000] [SECONDS=20] [INTERVAL_MS=200]
set -eu
cd "$(dirname "$0")/../.."
[ -f lb-bench/target/benchmarks.jar ] || mvn -o -B -q -pl lb-bench -am package -DskipTests
exec timeout 400 java -Xmx256m -XX:+UseSerialGC -cp lb-bench/target/benchmarks.jar \
  io.lbkit.bench.checks.HttpCheckLoad "${1:-2000}" "${2:-20}" "${3:-200}"

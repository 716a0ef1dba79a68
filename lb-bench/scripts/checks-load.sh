#!/bin/sh
# Sustained HTTP_GET checks/s from one HealthMonitor (one check thread) against BACKENDS local
# HTTP servers on 127.0.0.1-8, with the check thread's CPU per check, the processes' CPU and the
# heap peak; then detection latency. The backends run as a separate native process
# (scripts/backends.c, built here with cc) so that the checker's numbers are its own; without a
# C compiler they fall back to a Java server inside the checker's JVM (the report says which).
# Loopback only; bounded (SECONDS of load + at most 30 s of detection; 400 s in all).
# On a shared machine read "us CPU/check" and "capacity": checks/s depends on the CPU it was given.
# usage: lb-bench/scripts/checks-load.sh [BACKENDS=2000] [SECONDS=20] [INTERVAL_MS=200]
set -eu
cd "$(dirname "$0")/../.."
[ -f lb-bench/target/benchmarks.jar ] || mvn -o -B -q -pl lb-bench -am package -DskipTests
BIN=lb-bench/target/backends
if [ ! -x "$BIN" ] || [ lb-bench/scripts/backends.c -nt "$BIN" ]; then
  cc -O2 -o "$BIN" lb-bench/scripts/backends.c 2>/dev/null || BIN=
fi
echo "machine: $(nproc) CPUs; $(uptime)"
exec timeout 400 java -Xmx256m -XX:+UseSerialGC -Dbackends="${BIN:+$PWD/$BIN}" -cp lb-bench/target/benchmarks.jar \
  io.lbkit.bench.checks.HttpCheckLoad "${1:-2000}" "${2:-20}" "${3:-200}"

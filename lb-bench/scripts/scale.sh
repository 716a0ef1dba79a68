#!/bin/bash
# The scale curve: lbkit at 100, 1,000, 10,000 and 100,000 real servers (virtual servers x 10
# real servers, NAT, rr, an HTTP_GET check on every real server; io.lbkit.bench.scale.ScaleBench).
# Per size, medians of several runs: parse (keepalived.conf to spec; files of 1,000 virtual
# servers joined by include), import (LoadBalancerRuntime started on the fakes), reload of the
# file with one real server's weight edited in place after the runtime read it once (only the changed
# block is re-read; reload-one-line-cold-ms: the same edit for a runtime that has not read the file, a
# full parse), LoadBalancer.apply first / unchanged / of an equal re-parsed spec,
# one change (an edited service through apply; a health event through the Director: the goal is
# <= 1 ms and flat), status rendering (JSON), heap after GC per real server (the spec and the
# LoadBalancer; goal <= 1 KB). Where the machine allows: the checks (local HTTP backends from
# scripts/backends.c, 1,000 listeners that every check reaches by connect_ip/connect_port;
# delay_loop 6 s, one check thread; checks/s and the check thread's timer lag p50/p99/max,
# HealthMonitor.timerLag; goal p99 <= 50 ms) and, as root with nft, the nftables dataplane
# install in a network namespace this script creates (NftablesIpvs through the Director, one
# change, and `nft -f` of the same table as the anchor in the same run).
# One line per size ("size ..."), then the curve on one line beginning SCALE.
#
#   lb-bench/scripts/scale.sh [SIZE...]          (default 100 1000 10000 100000; about 10-15 min)
#
# CHECKS=0 skips the checks, NFT=0 the nftables part. Bounded: the whole run has 20 minutes.
# The checks part alone (the file parsed once, no other stage, no nftables; ~40 s a size):
#   CHECKS_ONLY=1 CHECK_THREADS=2 lb-bench/scripts/scale.sh 10000 100000
# CHECK_THREADS=N: the HealthMonitor's check threads (default 1); CHECK_SECONDS: measured seconds (12).
set -eu
cd "$(dirname "$0")/../.."
SIZES=${*:-100 1000 10000 100000}
[ -f lb-bench/target/benchmarks.jar ] || mvn -o -B -q -pl lb-bench -am package -DskipTests
PROPS=()
if [ "${CHECKS:-1}" = 1 ]; then
  BIN=lb-bench/target/backends
  if [ ! -x "$BIN" ] || [ lb-bench/scripts/backends.c -nt "$BIN" ]; then
    cc -O2 -o "$BIN" lb-bench/scripts/backends.c 2>/dev/null || BIN=
  fi
  if [ -n "$BIN" ]; then PROPS+=("-Dbackends=$PWD/$BIN"); else echo "no C compiler: no checks part"; fi
  PROPS+=("-DcheckThreads=${CHECK_THREADS:-1}" "-DcheckSeconds=${CHECK_SECONDS:-12}")
  if [ "${CHECKS_ONLY:-0}" = 1 ]; then PROPS+=("-DchecksOnly=true"); NFT=0; fi
fi
NS=
cleanup() { [ -z "$NS" ] || ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
if [ "${NFT:-1}" = 1 ] && [ "$(id -u)" = 0 ] && command -v nft >/dev/null 2>&1; then
  NS=lbkscale-$$
  if ip netns add "$NS" 2>/dev/null; then PROPS+=("-Dnetns=$NS"); else NS=; echo "no network namespace: no nftables part"; fi
else
  echo "not root or no nft: no nftables part"
fi
ulimit -n 65536 2>/dev/null || true
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); java $(java -version 2>&1 | head -1)"
timeout 1200 java -Xmx3g -XX:+UseSerialGC "${PROPS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp lb-bench/target/benchmarks.jar io.lbkit.bench.scale.ScaleBench $SIZES
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: ${CHECKS_ONLY:+CHECKS_ONLY=$CHECKS_ONLY }${CHECK_THREADS:+CHECK_THREADS=$CHECK_THREADS }lb-bench/scripts/scale.sh $SIZES"

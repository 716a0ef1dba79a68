#!/bin/bash
# User-space share of lbkit's HTTP checks on this host, a load-insensitive proxy for their user CPU per check
# (issue #17): SideBySide (one HealthMonitor, HTTP_GET of every native backend each second) with `lbctl run`'s JVM
# options, perf-sampled (cpu-clock, all its threads) for 20 s after WARM_S; prints the kernel and user shares and
# user/kernel. The kernel's TCP work per check is the same whatever the JVM runs, so user/kernel compares the user
# CPU per check of two builds or JVM options even on a loaded machine, where CPU seconds per check do not.
#   mvn -o -B -q -pl lb-bench -am package -DskipTests
#   lb-bench/scripts/checks-user-share.sh 1000 40 c1 lb-bench/target/benchmarks.jar
#   lb-bench/scripts/checks-user-share.sh 1000 60 c2 lb-bench/target/benchmarks.jar "-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2"
# args: BACKENDS WARM_S LABEL CLASSPATH [EXTRA_JVM_OPTS]. env: PERF_S (the sampled window, default 20 s: at
# 1,000 backends ~4,000 samples, so a share moves by ~0.01 from run to run; longer narrows that).
# Needs perf. Loopback only; what it starts it stops.
set -eu
N=$1; WARM=$2; LABEL=$3; CP=$4; EXTRA=${5:-}; PERF_S=${PERF_S:-20}
RUN_S=$((PERF_S + 5 > 25 ? PERF_S + 5 : 25))
cd "$(dirname "$0")/../.."
. lb-bench/scripts/keepalived-checker-lib.sh
BIN=lb-bench/target/backends
[ -x "$BIN" ] || cc -O2 -o "$BIN" lb-bench/scripts/backends.c
command -v perf >/dev/null || { echo "needs perf"; exit 2; }
W=$(mktemp -d /tmp/checks-user-share.XXXXXX)
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"' EXIT
{ sleep $((WARM + RUN_S + 75)) & echo $! > "$W/sleep.pid"; wait; } | "$BIN" "$N" $((WARM + RUN_S + 75)) "$W/addrs" >"$W/served" &
for i in $(seq 1 100); do [ -s "$W/addrs" ] && break; sleep 0.1; done
[ -s "$W/addrs" ] || { echo "backends did not start"; exit 1; }
PIDS="$(cat "$W/sleep.pid")"
# shellcheck disable=SC2086
java $LBCTL_RUN_JVM_OPTS $EXTRA -cp "$CP" io.lbkit.bench.checks.SideBySide "$W/addrs" "$WARM" "$RUN_S" 1000 > "$W/out" 2>"$W/err" &
J=$!
PIDS="$PIDS $J"
sleep $((WARM + 2))
perf record -q -F 1999 -e cpu-clock -p $J -o "$W/perf.data" -- sleep "$PERF_S" >/dev/null 2>&1 || true
wait $J || true
k=$(perf report -i "$W/perf.data" --stdio --sort dso 2>/dev/null | awk '/kernel.kallsyms/ { gsub("%", "", $1); print $1 }')
echo "$LABEL: kernel ${k}% user $(awk -v k="$k" 'BEGIN { printf "%.2f", 100 - k }')% user/kernel $(awk -v k="$k" 'BEGIN { printf "%.3f", (100 - k) / k }') | $(cat "$W/out") | load $(cut -d' ' -f1 /proc/loadavg)"

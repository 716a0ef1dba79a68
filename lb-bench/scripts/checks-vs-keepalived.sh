#!/bin/sh
# keepalived's HTTP_GET checker vs lbkit's HealthMonitor on the same backends, same interval, one
# run: CPU per check of each, and their ratio. keepalived's checker needs IPVS, so run this INSIDE
# the kernel VM, after building on the host (the jar, and the backends with cc):
#   mvn -o -B -q -pl lb-bench -am package -DskipTests
#   cc -O2 -o lb-bench/target/backends lb-bench/scripts/backends.c
#   WARM_S=180 tools/kernel-vm/vm-run --tcg single --env WARM_S --timeout 1000 -- \
#     bash lb-bench/scripts/checks-vs-keepalived.sh 200 30 1
# (--tcg single: a long JIT-heavy JVM under vm-run's default thread=multi can die of QEMU's
# cross-modifying-code emulation, see tools/kernel-vm/README.md; keepalived's checker exits
# at start without IPVS, "IPVS: Can't initialize ipvs", so this cannot run on an IPVS-less host.)
# args: BACKENDS SECONDS DELAY_LOOP_S. The backends are one native epoll process (backends.c) and
# count every response: keepalived's checks are the responses served while it alone checks.
# keepalived: its checker process's utime+stime from /proc/PID/stat over SECONDS, after 10 s.
# lbkit: its whole JVM's CPU (and the check thread's) over SECONDS, after a warm-up of WARM_S
# (default 20 s: JIT under emulation is slow), with the JVM options of `lbctl run` (LBKIT_BENCH_JVM=plain:
# without them; JAVA_OPTS adds JVM options after them; pass WARM_S and JAVA_OPTS with vm-run --env NAME,
# LBKIT_* goes in by itself). Where the CPU goes, and the emulator's own host CPU per window:
# checks-vm-profile.sh under vm-host-cpu.sh.
# lbkit closes its checks with a reset (no FIN, no TIME_WAIT), keepalived with a FIN: add
# -Dclose=fin to JAVA_OPTS to compare the same TCP work (the lbkit line says close=rst|fin).
# Loopback only; every process is killed at the end.
set -eu
N=${1:-200}; SECS=${2:-30}; LOOP=${3:-1}; WARM=${WARM_S:-20}
cd "$(dirname "$0")/../.."
. lb-bench/scripts/keepalived-checker-lib.sh
JAR=lb-bench/target/benchmarks.jar
BIN=lb-bench/target/backends
[ -f "$JAR" ] || { echo "build first: mvn -o -B -q -pl lb-bench -am package -DskipTests"; exit 1; }
[ -x "$BIN" ] || cc -O2 -o "$BIN" lb-bench/scripts/backends.c
W=$PWD/lb-bench/target/kvs.$$
mkdir -p "$W"
PIDS=
KLOG=
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$W" ${KLOG:+"$KLOG"}; }
trap cleanup EXIT
ip link set lo up
echo "machine: $(nproc) CPUs; $(uname -r); $(uptime)"
# the backends end at EOF on stdin: feed them from a sleep (no fifo: the VM's shared folder has none)
{ sleep $((SECS * 2 + WARM + 400)) & echo $! > "$W/sleep.pid"; wait; } | "$BIN" "$N" $((SECS * 2 + WARM + 400)) "$W/addrs" >"$W/served" &
PIDS="$PIDS $!"
for i in $(seq 1 50); do [ -s "$W/sleep.pid" ] && break; sleep 0.1; done
PIDS="$PIDS $(cat "$W/sleep.pid")"
for i in $(seq 1 300); do [ -s "$W/addrs" ] && break; sleep 0.2; done
[ -s "$W/addrs" ] || { echo "backends did not start"; exit 1; }
served() { sleep 1.2; awk '/^served/ { s = $2 } END { print s + 0 }' "$W/served"; }
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
KLOG=$(mktemp /tmp/ckv-k.XXXXXX)
keepalived_checker_start "$LOOP" "$KLOG"
sleep 10 # past the checkers' start-up
s0=$(served); t0=$(cputicks "$CPID")
sleep "$SECS"
t1=$(cputicks "$CPID"); s1=$(served)
keepalived_checker_stop
HZ=$(getconf CLK_TCK)
KCHECKS=$((s1 - s0))
KCPU=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN { printf "%.3f", (b - a) / hz }')
echo "keepalived checker (pid $CPID): checks=$KCHECKS in ${SECS}s cpu_s=$KCPU; DOWN lines: $(grep -c 'DOWN\|Removing' "$KLOG" || true)"
s2=$(served)
# lbkit's JVM: by default the options lb-cli/bin/lbctl gives `lbctl run` (how lbkit's checker is shipped:
# C1 only, one compiler thread, no PerfData sampler, no monitor deflation thread); LBKIT_BENCH_JVM=plain
# for a bare JVM (tiered C1+C2: under the VM's emulation C2 is still compiling minutes in, issue #17)
case ${LBKIT_BENCH_JVM:-launcher} in
  plain) JOPTS="-Xmx256m -XX:+UseSerialGC" ;;
  c2) JOPTS=$LBCTL_RUN_C2_JVM_OPTS ;; # the same with C2 back (as `lbctl run --http` has it)
  *) JOPTS=$LBCTL_RUN_JVM_OPTS ;;
esac
echo "lbkit JVM options: $JOPTS ${JAVA_OPTS:-}; warm-up ${WARM}s"
# shellcheck disable=SC2086
LINE=$(timeout $((SECS + WARM + 300)) java $JOPTS ${JAVA_OPTS:-} -cp "$JAR" io.lbkit.bench.checks.SideBySide \
  "$W/addrs" "$WARM" "$SECS" $((LOOP * 1000)) 2>"$W/l.log" | tail -1)
s3=$(served)
echo "$LINE (backends served $((s3 - s2)) over the whole lbkit run incl. JVM start and warm-up); DOWN lines: $(grep -c 'is DOWN' "$W/l.log" || true)"
echo "$LINE" | awk -v kc="$KCHECKS" -v kcpu="$KCPU" -v n="$N" -v secs="$SECS" '{
  for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
  if (kc <= 0 || v["attempts"] <= 0) { print "RATIO: no checks counted"; exit }
  k = 1e6 * kcpu / kc; lp = 1e6 * v["cpu_s"] / v["attempts"]; lt = 1e6 * v["thread_cpu_s"] / v["attempts"]
  printf "keepalived: %.1f us CPU/check (%d checks); lbkit: %.1f us/check whole JVM, %.1f us/check check thread (%d checks)\n", k, kc, lp, lt, v["attempts"]
  printf "RATIO lbkit/keepalived CPU per check: whole JVM %.2f, check thread %.2f (N=%d, %ss each)\n", lp / k, lt / k, n, secs
}'

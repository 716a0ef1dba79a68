#!/bin/sh
# Sustained HTTP_GET checks/s from one HealthMonitor (one check thread) against BACKENDS local
# HTTP servers on 127.0.0.1-8, with the check thread's CPU per check, the processes' CPU and the
# heap peak; then, as the anchor measured in the same run, the floor: the
# same checks done by a minimal C client (scripts/backends.c "probe") on the same kind of backends.
# The backends run as a separate native process (scripts/backends.c, built here with cc) so that
# the checker's numbers are its own; without a C compiler they fall back to a Java server inside
# the checker's JVM and there is no floor (the report says which).
# On a shared machine read "us CPU/check" and "capacity": checks/s depends on the CPU it was given.
# Last, detection latency (CheckDetection): DET_BACKENDS servers behind a LoadBalancer/Director
# over a FakeIpvs, DET_KILLS killed (refused) and as many hung (silent), from each kill to the
# Director's weight-0 in IPVS, against keepalived's worst case (delay_loop 1 s, connect_timeout
# 1 s, retry 1, delay_before_retry 500 ms). Set DET_KILLS=0 to skip it.
# CLOSE=rst (default) or fin: how both the checker (HealthMonitor.Builder.closeWithReset) and the C
# floor close a finished check connection, so that the ratio compares the same TCP work.
# The checker also prints the host's TIME_WAIT sockets at the start and end of its window (with
# CLOSE=fin, 10,000 checks/s fill net.ipv4.tcp_max_tw_buckets within seconds; with rst they stay flat).
# The last lines: SUMMARY (rate, CPU/check on the check thread, heap peak), FLOOR, RATIO, and the
# command that reproduces the run.
# Loopback only; bounded (timeout 400 s for the checker, SECONDS+20 s for the floor, 60 s detection).
# usage: lb-bench/scripts/checks-load.sh [BACKENDS=2000] [SECONDS=20] [INTERVAL_MS=200]
set -eu
N=${1:-2000}; SECS=${2:-20}; IVL=${3:-200}; DET_BACKENDS=${DET_BACKENDS:-200}; DET_KILLS=${DET_KILLS:-50}
CLOSE=${CLOSE:-rst}
case "$CLOSE" in rst|fin) ;; *) echo "CLOSE must be rst or fin: $CLOSE" >&2; exit 2 ;; esac
CMD="CLOSE=$CLOSE DET_KILLS=$DET_KILLS bash lb-bench/scripts/checks-load.sh $N $SECS $IVL"
cd "$(dirname "$0")/../.."
[ -f lb-bench/target/benchmarks.jar ] || mvn -o -B -q -pl lb-bench -am package -DskipTests
BIN=lb-bench/target/backends
if [ ! -x "$BIN" ] || [ lb-bench/scripts/backends.c -nt "$BIN" ]; then
  cc -O2 -o "$BIN" lb-bench/scripts/backends.c 2>/dev/null || BIN=
fi
W=$(mktemp -d)
BPID=
cleanup() { [ -z "$BPID" ] || kill "$BPID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
echo "machine: $(nproc) CPUs; $(uptime)"
timeout 400 java -Xmx256m -XX:+UseSerialGC -Dclose="$CLOSE" -Dbackends="${BIN:+$PWD/$BIN}" -cp lb-bench/target/benchmarks.jar \
  io.lbkit.bench.checks.HttpCheckLoad "$N" "$SECS" "$IVL" 2>"$W/err" | tee "$W/out" || { tail -20 "$W/err"; exit 1; }
if [ "$DET_KILLS" -gt 0 ]; then
  timeout 60 java -Xmx256m -XX:+UseSerialGC -Dbackends="${BIN:+$PWD/$BIN}" -cp lb-bench/target/benchmarks.jar \
    io.lbkit.bench.checks.CheckDetection "$DET_BACKENDS" "$DET_KILLS" 1000 1000 1 500 2>"$W/err" \
    || { tail -20 "$W/err"; exit 1; }
fi
[ -n "$BIN" ] || { echo "command: $CMD (no C compiler: no floor)"; exit 0; }
# the floor: fresh backends (their stdin is a fifo this shell holds open: they end with it)
mkfifo "$W/ctl"
exec 3<>"$W/ctl"
"$BIN" "$N" $((SECS + 30)) "$W/addrs" <"$W/ctl" >/dev/null &
BPID=$!
for i in $(seq 1 100); do [ -s "$W/addrs" ] && break; sleep 0.1; done
timeout $((SECS + 20)) "$BIN" probe "$W/addrs" "$SECS" "$IVL" "$CLOSE" | tee "$W/floor"
echo "after: $(uptime)"
awk -v cmd="$CMD" '
  function field(name,   i, a) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) { split($i, a, "="); return a[2] } }
  /^SUMMARY/ { r = field("checks/s"); l = field("check-thread-us/check"); h = field("heap-peak-MB"); c = field("close") }
  /^FLOOR/ { f = field("us/check"); fr = field("checks/s") }
  END {
    if (l && f) printf "RATIO lbkit check thread / C floor, CPU per check: %.2f (%s us vs %s us)\n", l / f, l, f
    printf "RESULT lbkit checks/s=%s (goal >= 10000 from one thread) check-thread-us/check=%s (capacity %.0f/s of one core) heap-peak-MB=%s (goal < 256) close=%s; C floor checks/s=%s us/check=%s\n", r, l, 1e6 / l, h, c, fr ? fr : "-", f ? f : "-"
    printf "command: %s\n", cmd
  }' "$W/out" "$W/floor"

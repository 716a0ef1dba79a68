#!/bin/bash
# Where the CPU of an HTTP check goes under the kernel VM's emulation (issue #17): the same
# backends and settings as checks-vs-keepalived.sh, but each side is measured from /proc
# (process and per-thread CPU over a window), then strace-counted (system calls per check, by
# name) and perf-sampled (cpu-clock, flat: kernel and JIT symbols) in separate windows after the
# measured one, so the tracing does not inflate the CPU figures. Run INSIDE the VM, e.g.
#   mvn -o -B -q -pl lb-bench -am package -DskipTests
#   tools/kernel-vm/vm-run --tcg single --timeout 1500 -- bash lb-bench/scripts/checks-vm-profile.sh 200 30
# and, for the emulator's host CPU per window (the figure to compare: CPU time inside the VM is not
# CPU used, see tools/kernel-vm/README.md), under vm-host-cpu.sh with the same arguments:
#   CONFIGS="keepalived launcher:60 keepalived default:360" PROFILE=0 lb-bench/scripts/vm-host-cpu.sh \
#     --tcg single --timeout 1200 --append 'clocksource=tsc tsc=reliable' --env CONFIGS --env PROFILE \
#     -- bash lb-bench/scripts/checks-vm-profile.sh 100 30
# args: BACKENDS WINDOW_S. env: CONFIGS (default "default:180 c1:60": lbkit JVM runs NAME:WARM_S, in
# order; "keepalived" in the list runs keepalived's checker there, to bracket the JVM runs, instead of
# first; "default" is a bare JVM, "c1" adds -XX:TieredStopAtLevel=1, "noavx" -XX:UseAVX=0 -XX:UseSSE=2,
# "launcher" the JVM options lb-cli/bin/lbctl gives `lbctl run`: C1 only, one compiler thread, no
# PerfData sampler; "launcher-c2" the same with C2 back, as `run --http` has them; "launcher-gsi" the launcher's
# without -XX:GuaranteedSafepointInterval=0 (the JVM's safepoint every second, as before 28f78bb); JAVA_OPTS adds
# options after any of these), TRACE_S (strace and perf windows, default 10), KEEPALIVED=0 skips keepalived,
# WINDOWS=N measures N consecutive windows of each lbkit JVM (named lbkit-NAME-wI), a NAME ending
# in "+alt" runs ALT_JAR instead of BENCH_JAR (default lb-bench/target/benchmarks.jar; a before/after in one boot),
# PROFILE=0 skips strace and perf, STRACE=0 strace alone, PERFMAP=0 the JIT symbols (jcmd
# Compiler.perfmap: a JVM start, slow under emulation). delay_loop 1 s, connect_timeout 3, retry 1.
# Each measured window is bracketed by "MARK start|end NAME" lines on stdout, for a host-side
# reading of the emulator's own CPU time (see vm-host-cpu.sh).
# Loopback only; every process started here is killed at the end.
set -eu
N=${1:-200}; SECS=${2:-30}; TRACE=${TRACE_S:-10}; CONFIGS=${CONFIGS:-default:180 c1:60}; WINDOWS=${WINDOWS:-1}
cd "$(dirname "$0")/../.."
. lb-bench/scripts/keepalived-checker-lib.sh
JAR=${BENCH_JAR:-lb-bench/target/benchmarks.jar}
BIN=lb-bench/target/backends
[ -f "$JAR" ] || { echo "build first: mvn -o -B -q -pl lb-bench -am package -DskipTests"; exit 1; }
[ -x "$BIN" ] || cc -O2 -o "$BIN" lb-bench/scripts/backends.c
W=$PWD/lb-bench/target/kvp.$$
mkdir -p "$W"
KLOG=$(mktemp /tmp/kvp-k.XXXXXX)
PIDS=
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$W" "$KLOG"; }
trap cleanup EXIT
ip link set lo up
echo 0 > /proc/sys/kernel/kptr_restrict 2>/dev/null || true
echo -1 > /proc/sys/kernel/perf_event_paranoid 2>/dev/null || true
echo "machine: $(nproc) CPUs; $(uname -r); clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) (available: $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)); cmdline: $(cat /proc/cmdline)"
LIFE=3000
{ sleep $LIFE & echo $! > "$W/sleep.pid"; wait; } | "$BIN" "$N" $LIFE "$W/addrs" >"$W/served" &
PIDS="$PIDS $!"
BPID=$!
for i in $(seq 1 50); do [ -s "$W/sleep.pid" ] && break; sleep 0.1; done
PIDS="$PIDS $(cat "$W/sleep.pid")"
for i in $(seq 1 300); do [ -s "$W/addrs" ] && break; sleep 0.2; done
[ -s "$W/addrs" ] || { echo "backends did not start"; exit 1; }
HZ=$(getconf CLK_TCK)
served() { sleep 1.2; awk '/^served/ { s = $2 } END { print s + 0 }' "$W/served"; }
ticks() { awk '{ print $14 + $15 }' "$1"; }
# per-thread ticks of PID: "TID COMM TICKS" (comm may contain spaces: take it between the parentheses)
threads() { # one awk for all threads (process starts are slow under emulation)
  awk '{ s = $0; p = 0; while ((q = index(substr(s, p + 1), ")")) > 0) p += q
    o = index(s, "("); c = substr(s, o + 1, p - o - 1); gsub(/ /, "_", c)
    split(substr(s, p + 2), f, " "); print $1, c, f[12] + f[13] }' /proc/"$1"/task/*/stat 2>/dev/null
}
# window NAME PID: CPU of PID (and of each thread) over SECS, and the checks served meanwhile
window() {
  local name=$1 pid=$2 s0 s1 t0 t1
  local bp sys0 sys1 b0 b1
  bp=$(pgrep -P "$BPID" -x backends || echo "$BPID")
  s0=$(served); echo "MARK start $name"; t0=$(ticks "/proc/$pid/stat"); threads "$pid" | sort > "$W/th0"
  b0=$(ticks "/proc/$bp/stat"); sys0=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat); w0=$(date +%s.%N)
  sleep "$SECS"
  t1=$(ticks "/proc/$pid/stat"); echo "MARK end $name"; threads "$pid" | sort > "$W/th1"; b1=$(ticks "/proc/$bp/stat"); w1=$(date +%s.%N)
  sys1=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat); s1=$(served)
  echo "$sys0 $sys1 $b0 $b1 $w0 $w1" | awk -v hz="$HZ" -v n="$(nproc)" '{
    printf "  system over %.1f s wall (%d vCPUs): busy %.2f CPU-s, idle %.2f CPU-s (all CPUs); backends process %.2f CPU-s\n", $8 - $7, n, ($3 - $1) / hz, ($4 - $2) / hz, ($6 - $5) / hz }' 
  CHECKS=$((s1 - s0))
  awk -v n="$name" -v c="$CHECKS" -v a="$t0" -v b="$t1" -v hz="$HZ" -v secs="$SECS" 'BEGIN {
    printf "WINDOW %s: checks=%d in %ss cpu_s=%.2f us/check=%.1f\n", n, c, secs, (b - a) / hz, (c > 0 ? 1e6 * (b - a) / hz / c : 0) }'
  join "$W/th0" "$W/th1" | awk -v hz="$HZ" -v c="$CHECKS" '{ d = $5 - $3 } d > 0 {
    printf "  thread %-22s cpu_s=%.2f us/check=%.1f\n", $2, d / hz, (c > 0 ? 1e6 * d / hz / c : 0) }'
}
trace() {
  local name=$1 pid=$2 s0 s1
  [ "${PROFILE:-1}" = 1 ] || return 0
  if [ "${STRACE:-1}" = 1 ]; then
  s0=$(served)
  timeout -s INT $((TRACE + 1)) strace -f -c -q -p "$pid" -o "$W/strace.$name" 2>/dev/null || true
  s1=$(served)
  echo "STRACE $name: checks=$((s1 - s0)) during ~${TRACE}s (per_check = calls / connect calls)"
  awk -v c="$(awk '$NF == "connect" { print ($4 ~ /^[0-9]+$/) ? $4 : $3 }' "$W/strace.$name")" 'NR > 2 && $0 !~ /^---/ { calls = ($4 ~ /^[0-9]+$/) ? $4 : $3; sc = $NF;
    if (sc == "total") printf "  %-18s calls=%-8d per_check=%.2f\n", sc, calls, (c > 0 ? calls / c : 0);
    else if (calls + 0 > 0) printf "  %-18s calls=%-8d per_check=%.2f\n", sc, calls, (c > 0 ? calls / c : 0) }' "$W/strace.$name" | sort -t= -k2 -n -r | head -25
  if [ -n "${4:-}" ]; then
    s0=$(served)
    timeout -s INT $((TRACE + 1)) strace -c -q -p "$4" -o "$W/strace.$name.t" 2>/dev/null || true
    s1=$(served)
    echo "STRACE $name, the check thread $4 alone: checks=$((s1 - s0)) during ~${TRACE}s"
    awk -v c="$(awk '$NF == "connect" { print ($4 ~ /^[0-9]+$/) ? $4 : $3 }' "$W/strace.$name.t")" 'NR > 2 && $0 !~ /^---/ { calls = ($4 ~ /^[0-9]+$/) ? $4 : $3; sc = $NF;
      if (calls + 0 > 0) printf "  %-18s calls=%-8d per_check=%.2f\n", sc, calls, (c > 0 ? calls / c : 0) }' "$W/strace.$name.t" | sort -t= -k2 -n -r | head -20
  fi
  fi
  s0=$(served)
  perf stat -e task-clock,context-switches,cpu-migrations,page-faults -p "$pid" -o "$W/pstat.$name" -- sleep "$TRACE" >/dev/null 2>&1 || true
  s1=$(served)
  echo "PERFSTAT $name: checks=$((s1 - s0)) during ${TRACE}s:"
  awk -v c=$((s1 - s0)) '{ k = ($2 == "msec") ? $3 : $2 } k ~ /^(task-clock|context-switches|cpu-migrations|page-faults)$/ { gsub(",", "", $1); printf "  %-17s %12.1f per_check=%.3f%s\n", k, $1, (c > 0 ? $1 / c : 0), ($2 == "msec" ? " (ms)" : "") }' "$W/pstat.$name"
  s0=$(served)
  perf record -q -F 997 -e cpu-clock -p "$pid" -o "$W/perf.$name" -- sleep "$TRACE" >/dev/null 2>&1 || { echo "perf record failed"; return 0; }
  s1=$(served)
  [ -n "${3:-}" ] && [ "${PERFMAP:-1}" = 1 ] && { timeout 120 jcmd "$pid" Compiler.perfmap >/dev/null 2>&1 || echo "  (jcmd Compiler.perfmap failed)"; }
  echo "PERF $name: checks=$((s1 - s0)) during ${TRACE}s; top symbols by samples:"
  perf report -i "$W/perf.$name" --stdio --sort dso,sym 2>"$W/perf.err" | grep -v '^#' | grep -v '^$' | head -30 || true
  tail -3 "$W/perf.err"
  echo "PERF $name by dso:"
  perf report -i "$W/perf.$name" --stdio --sort dso 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12
}

run_keepalived() { # $1: a suffix for the window name
  keepalived_checker_start 1 "$KLOG"
  sleep 10
  window "keepalived$1" "$CPID"
  trace "keepalived$1" "$CPID"
  keepalived_checker_stop
}

case " $CONFIGS " in *" keepalived"*) ;; *) [ "${KEEPALIVED:-1}" = 1 ] && run_keepalived "";; esac
k=0
for cfg in $CONFIGS; do
  name=${cfg%%:*}; warm=${cfg#*:}
  if [ "$name" = keepalived ]; then k=$((k + 1)); run_keepalived "-$k"; continue; fi
  jar=$JAR
  # a name's second run gets windows of its own name (lbkit-NAME-2...): the host side pairs MARKs by name
  seen=" ${seen:-}"; rep=""; n_seen=$(printf '%s' "$seen" | tr ' ' '\n' | grep -cx "$name" || true)
  [ "$n_seen" = 0 ] || rep="-$((n_seen + 1))"; seen="$seen $name"
  case $name in *+alt) jar=${ALT_JAR:?"ALT_JAR: the other benchmarks.jar for $name"};; esac
  case ${name%+alt} in
    launcher) opts=$LBCTL_RUN_JVM_OPTS ;; # what lb-cli/bin/lbctl gives `lbctl run` (how lbkit's checker is shipped)
    launcher-c2) opts=$LBCTL_RUN_C2_JVM_OPTS ;; # the same with C2 back, as `lbctl run --http` has it
    launcher-gsi) opts=${LBCTL_RUN_JVM_OPTS/ -XX:GuaranteedSafepointInterval=0/} ;; # with the JVM's 1 s safepoint back
    *) opts="-Xmx256m -XX:+UseSerialGC" ;;
  esac
  [ "${name%+alt}" = c1 ] && opts="$opts -XX:TieredStopAtLevel=1"
  [ "${name%+alt}" = noavx ] && opts="$opts -XX:UseAVX=0 -XX:UseSSE=2"
  opts="$opts ${JAVA_OPTS:-}"
  echo "lbkit $name: JVM options $opts; jar $jar; warm-up ${warm}s; $WINDOWS window(s)"
  # shellcheck disable=SC2086
  java $opts -XX:+PrintCompilation -cp "$jar" io.lbkit.bench.checks.SideBySide "$W/addrs" "$warm" 600 1000 \
    >"$W/out.$name" 2>"$W/l.$name" &
  JPID=$!
  PIDS="$PIDS $JPID"
  t_start=$(date +%s)
  sleep "$warm"
  for wi in $(seq 1 "$WINDOWS"); do
    c0=$(grep -c '^ *[0-9]' "$W/out.$name" || true)
    wn="lbkit-$name$rep"; [ "$WINDOWS" = 1 ] || wn="$wn-w$wi"
    window "$wn" "$JPID"
    c1=$(grep -c '^ *[0-9]' "$W/out.$name" || true)
    echo "  compilations (PrintCompilation lines) during the window: $((c1 - c0)); before it: $c0; 'made not entrant' in all: $(grep -c 'made not entrant' "$W/out.$name" || true)"
  done
  tid=$(for t in /proc/"$JPID"/task/*; do [ "$(cat "$t/comm")" = lbkit-checks ] && basename "$t"; done; true)
  trace "lbkit-$name" "$JPID" jit "$tid"
  echo "  DOWN lines: $(grep -c 'is DOWN' "$W/l.$name" || true); elapsed $(( $(date +%s) - t_start ))s"
  kill "$JPID" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$JPID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$JPID" 2>/dev/null || true
done
echo "PROFILE done"

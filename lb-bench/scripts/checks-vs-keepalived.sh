#!/bin/sh
# keepalived's HTTP_GET checker vs lbkit's HealthMonitor, same backends, same interval, one run.
# keepalived's checker needs IPVS, so run this INSIDE the kernel VM (build the jar on the host first):
#   mvn -o -B -q -pl lb-bench -am package -DskipTests
#   ../shared/kernel-vm/vm-run --timeout 900 -- lb-bench/scripts/checks-vs-keepalived.sh 500 60 1
# args: BACKENDS SECONDS DELAY_LOOP_S. Loopback only; every process is killed at the end.
set -eu
N=${1:-500}; SECS=${2:-60}; LOOP=${3:-1}
cd "$(dirname "$0")/../.."
JAR=lb-bench/target/benchmarks.jar
W=$(mktemp -d)
cleanup() { for p in $(cat "$W"/pids 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
ip link set lo up
cputicks() { # utime+stime of a pid and its children threads, in clock ticks
  awk '{print $14+$15}' /proc/"$1"/stat
}
java -Xmx256m -cp $JAR io.lbkit.bench.checks.SideBySide serve "$N" $((SECS * 2 + 240)) "$W/addrs" > "$W/served" 2>&1 &
echo $! >> "$W"/pids
for i in $(seq 1 120); do [ -s "$W/addrs" ] && break; sleep 1; done
[ -s "$W/addrs" ] || { echo "backends did not start"; exit 1; }
{
  printf 'global_defs {\n router_id bench\n}\nvirtual_server 192.0.2.1 80 {\n delay_loop %s\n lb_algo rr\n lb_kind NAT\n protocol TCP\n' "$LOOP"
  while read -r a p; do
    printf ' real_server %s %s {\n  weight 1\n  HTTP_GET {\n   url {\n    path /health\n    status_code 200\n   }\n   connect_timeout 3\n   retry 1\n   delay_before_retry 1\n  }\n }\n' "$a" "$p"
  done < "$W/addrs"
  echo "}"
} > "$W/keepalived.conf"
sleep 3
s0=$(tail -1 "$W/served" | awk '{print $2}')
keepalived --dont-fork --log-console --check --use-file "$W/keepalived.conf" --pid "$W/k.pid" \
  --checkers_pid "$W/c.pid" > "$W/k.log" 2>&1 &
echo $! >> "$W"/pids
for i in $(seq 1 120); do [ -s "$W/c.pid" ] && break; sleep 1; done
[ -s "$W/c.pid" ] || { echo "keepalived's checker did not start:"; cat "$W/k.log"; exit 1; }
sleep 10 # past the checkers' start-up
CPID=$(cat "$W/c.pid")
t0=$(cputicks "$CPID"); s1=$(tail -1 "$W/served" | awk '{print $2}')
sleep "$SECS"
t1=$(cputicks "$CPID"); s2=$(tail -1 "$W/served" | awk '{print $2}')
kill "$(cat "$W/k.pid")" 2>/dev/null || true; sleep 2
HZ=$(getconf CLK_TCK)
echo "keepalived checker: served=$((s2 - s1)) in ${SECS}s cpu_s=$(echo "scale=2; ($t1-$t0)/$HZ" | bc)"
grep -c "DOWN\|down" "$W/k.log" | sed 's/^/keepalived down lines: /'
s3=$(tail -1 "$W/served" | awk '{print $2}')
timeout $((SECS + 120)) java -Xmx256m -cp $JAR io.lbkit.bench.checks.SideBySide check "$W/addrs" "$SECS" $((LOOP * 1000)) \
  2>"$W/l.log" | tail -1
s4=$(tail -1 "$W/served" | awk '{print $2}')
echo "lbkit: served=$((s4 - s3)) (includes its JVM start and warmup)"
grep -c "is DOWN" "$W/l.log" | sed 's/^/lbkit down lines: /'

#!/bin/bash
# What C2 costs `lbctl run --http` as lb-cli/bin/lbctl launches it (root): the launcher gives `run --http`
# -XX:TieredStopAtLevel=4 (C2 back, for the /metrics scrape); variant c1 puts C1-only back with
# LBCTL_JAVA_OPTS=-XX:TieredStopAtLevel=1 (what `run` without --http gets). Each start: a fresh
# namespace (prefix scr) with a veth pair, the seed's vrrp_instance alone (BACKUP, becomes MASTER),
# `lbctl run CONF --control none --http 127.0.0.1:9100`. Measured per start, over all pids of the
# namespace: RSS and CPU (utime+stime) idle for IDLE s after MASTER (nobody scrapes), then RSS and
# CPU while /metrics is scraped every 2 s for SCRAPED s. Variants interleaved in each round.
# Bounded: every wait has a deadline.
#
#   lb-bench/scripts/http-footprint.sh [ROUNDS=3] [IDLE=30] [SCRAPED=30]
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
IDLE=${2:-30}
SCRAPED=${3:-30}
LAUNCHER=$PWD/lb-cli/bin/lbctl
[ -f lb-cli/target/lbctl.jar ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
[ "$(id -u)" = 0 ] || { echo "http-footprint.sh needs root (namespaces)"; exit 1; }
. lb-bench/scripts/ns-director-lib.sh
ns_director_init scr-httpfp
# one start: $1 = variant (c1|c2); prints "variant idleRSS_KB idleCPU_ms_per_min scrapedRSS_KB scrapedCPU_ms_per_scrape"
one() {
  ns_up "scr-$$-$1"
  local extra=""
  [ "$1" = c1 ] && extra=-XX:TieredStopAtLevel=1
  LBCTL_JAVA_OPTS=$extra ip netns exec "$NS" "$LAUNCHER" run "$W/vrrp.conf" --control none \
    --http 127.0.0.1:9100 >"$W/out" 2>&1 &
  PID=$!
  local master=""
  for _ in $(seq 1 1500); do # 30 s at most
    if ip -n "$NS" -4 addr show dev eth0 | grep -q 192.168.0.200; then master=1; break; fi
    sleep 0.02
  done
  [ -n "$master" ] || { echo "$1: no MASTER within 30 s" >&2; cat "$W/out" >&2; }
  sleep 3
  local t0 t1 r1 n=0 t2 r2
  t0=$(ns_ticks); sleep "$IDLE"; t1=$(ns_ticks); r1=$(ns_rss)
  local end=$((SECONDS + SCRAPED))
  while [ $SECONDS -lt $end ]; do
    ip netns exec "$NS" curl -s -m 5 -o /dev/null http://127.0.0.1:9100/metrics && n=$((n + 1))
    sleep 2
  done
  t2=$(ns_ticks); r2=$(ns_rss)
  ns_down
  echo "$1 $r1 $(( (t1 - t0) * 1000 / TCK * 60 / IDLE )) $r2 $(( n > 0 ? (t2 - t1) * 1000 / TCK / n : -1 ))"
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
export LBCTL_CDS_DIR=$W/cds # the launcher's class-data sharing archive, built by its first run as root
one c2 >/dev/null
for r in $(seq 1 "$ROUNDS"); do
  for v in c1 c2; do
    one "$v" | tee -a "$W/all"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk "$AWK_MEDIAN"'
  { n[$1]++; for (k = 2; k <= 5; k++) v[$1, k, n[$1]] = $k }
  END {
    for (x in n) { for (k = 2; k <= 5; k++) { for (i = 1; i <= n[x]; i++) a[i] = v[x, k, i]; M[x, k] = med(a, n[x]) }
      printf "HTTP-FOOTPRINT %s: idle RSS median %.1f MB, idle CPU %d ms/min; scraped every 2 s: RSS %.1f MB, CPU %d ms/scrape (%d starts)\n",
        x, M[x, 2] / 1024, M[x, 3], M[x, 4] / 1024, M[x, 5], n[x] }
  }' "$W/all"
echo "columns: variant idleRSS_KB idleCPU_ms_per_min scrapedRSS_KB CPU_ms_per_scrape; command: lb-bench/scripts/http-footprint.sh $ROUNDS $IDLE $SCRAPED"

#!/bin/bash
# One /metrics scrape of a real `lbctl run --http` as lb-cli/bin/lbctl launches it (root): REALS real servers
# (services of 100, NAT, no checks) on this host's dataplane (nftables where there is no IPVS) in a fresh
# namespace (prefix scr); WARMUP scrapes, then SCRAPES timed ones: the process's CPU (utime+stime of all its
# threads, 10 ms ticks, summed over the timed scrapes, the idle rate measured before subtracted) per scrape,
# and its RSS. Variants: launcher (C2 for run --http), c1 (LBCTL_JAVA_OPTS=-XX:TieredStopAtLevel=1, as before),
# before (the launcher's options with BEFORE=path/to/lbctl.jar, another build: e.g. a detached worktree of an older
# commit built with `mvn -o -q -B -pl lb-cli -am package -DskipTests`). Bounded: every wait has a deadline.
#
#   lb-bench/scripts/scrape-lbctl.sh [REALS=10000] [WARMUP=30] [SCRAPES=20] [VARIANTS="c1 launcher"]
#   e.g. BEFORE=/tmp/before/lb-cli/target/lbctl.jar lb-bench/scripts/scrape-lbctl.sh 10000 30 20 "before launcher"
set -eu
cd "$(dirname "$0")/../.."
REALS=${1:-10000}
WARMUP=${2:-30}
SCRAPES=${3:-20}
VARIANTS=${4:-c1 launcher}
[ -f lb-cli/target/lbctl.jar ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
[ "$(id -u)" = 0 ] || { echo "scrape-lbctl.sh needs root (namespaces)"; exit 1; }
. lb-bench/scripts/ns-director-lib.sh
ns_director_init scr-lbctl
for ((s = 0; s < REALS / 100; s++)); do
  echo "virtual_server 10.1.$((s / 250)).$((s % 250 + 1)) 80 {"
  echo "  lvs_sched rr"; echo "  lvs_method NAT"; echo "  protocol TCP"
  for ((r = 1; r <= 100; r++)); do echo "  real_server 10.2.$((s % 250)).$r $((8080 + s / 250)) { weight $((1 + r % 3)) }"; done
  echo "}"
done > "$W/big.conf"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $REALS real servers"
export LBCTL_CDS_DIR=$W/cds
for v in $VARIANTS; do
  ns_up "scr-$$-$v"
  extra=""
  jar=lb-cli/target/lbctl.jar
  [ "$v" = c1 ] && extra=-XX:TieredStopAtLevel=1
  if [ "$v" = before ]; then
    jar=${BEFORE:?variant before needs BEFORE=path/to/lbctl.jar}
    [ -f "$jar" ] || { echo "BEFORE=$jar: no such file" >&2; exit 2; }
  fi
  LBCTL_JAR=$(readlink -f "$jar") LBCTL_JAVA_OPTS=$extra ip netns exec "$NS" lb-cli/bin/lbctl run "$W/big.conf" --control none \
    --http 127.0.0.1:9100 >"$W/out" 2>&1 &
  PID=$!
  up=""
  for _ in $(seq 1 600); do # 120 s at most
    if ip netns exec "$NS" curl -s -m 10 -o "$W/m" http://127.0.0.1:9100/metrics && [ "$(grep -c '^lbkit_ipvs_backend_weight{' "$W/m")" = "$REALS" ]; then up=1; break; fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$up" ] || { echo "$v: /metrics without $REALS real servers within 120 s" >&2; tail -5 "$W/out" >&2; exit 1; }
  java_pid=$(ip netns pids "$NS" | head -1)
  for _ in $(seq 1 "$WARMUP"); do ip netns exec "$NS" curl -s -m 10 -o /dev/null http://127.0.0.1:9100/metrics; done
  ticks() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
  threads() { for t in /proc/"$java_pid"/task/*; do awk '{sub(/^[0-9]+ \(/, ""); n = $0; sub(/\).*/, "", n); sub(/[0-9#]+$/, "", n); gsub(/ /, "_", n); split($0, f, ") "); split(f[2], g, " "); print n, g[12] + g[13]}' "$t/stat" 2>/dev/null; done; }
  t0=$(ticks); sleep 5; t1=$(ticks) # idle rate
  threads > "$W/th0"
  s0=$(date +%s%N)
  for _ in $(seq 1 "$SCRAPES"); do ip netns exec "$NS" curl -s -m 10 -o /dev/null http://127.0.0.1:9100/metrics; done
  s1=$(date +%s%N); t2=$(ticks)
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$java_pid/status")
  threads > "$W/th1"
  others=$(awk -v n="$SCRAPES" -v t="$TCK" 'NR == FNR { a[$1] += $2; next } { b[$1] += $2 }
    END { for (k in b) if (b[k] - a[k] > 0) printf "%s %.1f\n", k, (b[k] - a[k]) * 1000 / t / n }' "$W/th0" "$W/th1" \
    | sort -k2 -rn | head -5 | tr '\n' ',')
  awk -v v="$v" -v i="$((t1 - t0))" -v b="$((t2 - t1))" -v w="$(( (s1 - s0) / 1000000 ))" -v n="$SCRAPES" -v t="$TCK" -v r="$rss" \
    -v lines="$(grep -vc '^#' "$W/m")" -v o="$others" 'BEGIN {
      idle = i * 1000 / t / 5000 * w; printf "SCRAPE-LBCTL %s: %d series; process CPU %.1f ms per scrape (idle share subtracted: %.1f ms over %d ms), RSS %.1f MB (%d scrapes after warm-up); threads, ms per scrape: %s\n",
        v, lines, (b * 1000 / t - idle) / n, idle, w, r / 1024, n, o }'
  ns_down
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); command: ${BEFORE:+BEFORE=$BEFORE }lb-bench/scripts/scrape-lbctl.sh $REALS $WARMUP $SCRAPES \"$VARIANTS\""

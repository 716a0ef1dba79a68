#!/usr/bin/env bash
# The seed end to end, lbkit vs keepalived, in the same kernel-VM run: a director pair
# lbkit+lbkit against keepalived+keepalived on the same topology (tools/e2e/seed-e2e.sh,
# a fresh topology per round), alternating, N rounds each. Each round starts both directors
# at the same moment (E2E_START=together) and measures
#   start_master_ms    both started -> the VIP on the first MASTER (both state BACKUP, nopreempt:
#                      the process start, then the master-down interval, 3.605 s at priority 101)
#   start_master_priority  the first MASTER's priority (101: dir1, forked first; 100: dir2)
#   start_settled_priority the master's once one alone holds the VIP (both timers firing within
#                      an advert's way: two masters, the higher priority stays)
#   start_backup_p101_ms / _p100_ms  (lbkit) start -> that director's INIT -> BACKUP line
#   start_gap_ms       (lbkit) the winner's BACKUP -> its VIP (the master-down interval as run)
#   health_down_ms     rs1's web server killed -> its weight 0 on the master (HTTP_GET,
#                      delay_loop 6, retry 3, delay_before_retry 3: depends on where in
#                      the delay loop the kill falls, so expect a spread of ~6 s)
#   health_up_ms       rs1's web server back -> weight 1
#   failover_vip_ms    master killed (kill -9, link down) -> VIP on the backup
#   failover_window_ms first to last failed client request (busybox wget, CLIENT_TIMEOUT_S=2 s, in a loop)
# and prints min / median / max of each and the ratio of the medians lbkit / keepalived (below 1:
# lbkit faster). Before the rounds, lb-bench/scripts/lbctl-start.sh measures the JVM's own start.
# lbctl runs through its launcher (tools/e2e/e2e-lib.sh) with the checks' log at debug (every
# round's end and its next attempt); E2E_LOGS=DIR keeps each round's director logs there.
# Inside the kernel VM only; build on the host first, and let the launcher build its class-data
# archives there (the VM cannot write /var/cache/lbkit):
#   mvn -o -B -q -pl lb-cli -am package -DskipTests && lb-cli/bin/lbctl run --help >/dev/null
#   tools/kernel-vm/vm-run --tcg single --timeout 2400 -- bash lb-bench/scripts/e2e-vs-keepalived.sh [ROUNDS=3]
set -euo pipefail
rounds=${1:-3}
cd "$(dirname "$0")/../.."
[ -e /proc/net/ip_vs ] || { echo "e2e-vs-keepalived: no IPVS here; run inside tools/kernel-vm/vm-run" >&2; exit 125; }
command -v keepalived >/dev/null || { echo "e2e-vs-keepalived: keepalived not installed" >&2; exit 125; }
out=$(mktemp -d /tmp/e2e-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
bash lb-bench/scripts/lbctl-start.sh 3 || echo "e2e-vs-keepalived: lbctl-start.sh failed (exit $?)"
echo
metrics="start_master_ms start_backup_p101_ms start_backup_p100_ms start_gap_ms health_down_ms health_up_ms
  failover_vip_ms failover_window_ms failover_failed_requests"
export LBCTL_JAVA_OPTS="${LBCTL_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.log.io.lbkit.checks=debug"
for r in $(seq "$rounds"); do
  for kind in keepalived lbkit; do
    log="$out/$kind.$r.log"
    keep=""; [ -z "${E2E_LOGS:-}" ] || keep="$E2E_LOGS/$kind.$r"
    t=$SECONDS
    if E2E_START=together E2E_PHASES="health failover" E2E_LOG_DIR="$keep" timeout 600 \
        bash tools/e2e/seed-e2e.sh "$kind" "$kind" > "$log" 2>&1; then
      echo "round $r $kind ($((SECONDS - t)) s): $(grep '^E2E_METRIC ' "$log" | sed 's/^E2E_METRIC //' | tr '\n' ' ')"
    else
      echo "round $r $kind: FAILED (exit $?); its output:"; sed 's/^/  | /' "$log"
    fi
    [ -z "$keep" ] || cp "$log" "$keep/seed-e2e.out" 2>/dev/null || true
  done
done
values() { # kind metric: its values, sorted
  cat "$out/$1".*.log | awk -v m="$2" '$1 == "E2E_METRIC" { split($2, kv, "="); if (kv[1] == m) print kv[2] }' | sort -n
}
summary() { # kind metric: "min/median/max" and the median alone
  values "$1" "$2" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s/%s/%s %s\n", v[1], m, v[NR], m }'
}
echo
printf '%-26s %22s %22s %16s\n' "$rounds rounds: min/median/max" keepalived lbkit "lbkit/keepalived"
for m in $metrics; do
  read -r ks k <<<"$(summary keepalived "$m")"; read -r ls l <<<"$(summary lbkit "$m")"
  ratio=$(awk -v k="$k" -v l="$l" 'BEGIN { if (k == "-" || l == "-" || k == 0) print "-"; else printf "%.2f", l / k }')
  printf '%-26s %22s %22s %16s\n' "$m" "$ks" "$ls" "$ratio"
done
for kind in keepalived lbkit; do
  for m in start_master_priority start_settled_priority; do
    echo "$m $kind: priority 101 (dir1, forked first) in $(values "$kind" "$m" | grep -c '^101$' || true) of" \
      "$(values "$kind" "$m" | wc -l) rounds"
  done
done

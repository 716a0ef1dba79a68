#!/usr/bin/env bash
# The seed end to end, lbkit vs keepalived, in the same kernel-VM run: a director pair
# lbkit+lbkit against keepalived+keepalived on the same topology (tools/e2e/seed-e2e.sh,
# a fresh topology per round), alternating, N rounds each. Per round it measures
#   health_down_ms     rs1's web server killed -> its weight 0 on the master (HTTP_GET,
#                      delay_loop 6, retry 3, delay_before_retry 3: depends on where in
#                      the delay loop the kill falls, so expect a spread of ~6 s)
#   health_up_ms       rs1's web server back -> weight 1
#   failover_vip_ms    master killed (kill -9, link down) -> VIP on the backup
#   failover_window_ms first to last failed client request (busybox wget, CLIENT_TIMEOUT_S=2 s, in a loop)
# and prints the medians and the ratio lbkit / keepalived (below 1: lbkit faster).
# Inside the kernel VM only; build on the host first:
#   mvn -o -B -q -pl lb-cli -am package -DskipTests
#   tools/kernel-vm/vm-run --timeout 1800 -- bash lb-bench/scripts/e2e-vs-keepalived.sh [ROUNDS=3]
set -euo pipefail
rounds=${1:-3}
cd "$(dirname "$0")/../.."
[ -e /proc/net/ip_vs ] || { echo "e2e-vs-keepalived: no IPVS here; run inside tools/kernel-vm/vm-run" >&2; exit 125; }
command -v keepalived >/dev/null || { echo "e2e-vs-keepalived: keepalived not installed" >&2; exit 125; }
out=$(mktemp -d /tmp/e2e-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
metrics="health_down_ms health_up_ms failover_vip_ms failover_window_ms failover_failed_requests"
for r in $(seq "$rounds"); do
  for kind in keepalived lbkit; do
    log="$out/$kind.$r.log"
    if E2E_PHASES="health failover" timeout 600 bash tools/e2e/seed-e2e.sh "$kind" "$kind" > "$log" 2>&1; then
      echo "round $r $kind: $(grep '^E2E_METRIC ' "$log" | sed 's/^E2E_METRIC //' | tr '\n' ' ')"
    else
      echo "round $r $kind: FAILED (exit $?); its output:"; sed 's/^/  | /' "$log"
    fi
  done
done
median() { # kind metric
  cat "$out/$1".*.log | awk -v m="$2" '$1 == "E2E_METRIC" { split($2, kv, "="); if (kv[1] == m) print kv[2] }' \
    | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
printf '%-26s %12s %12s %16s\n' "median of $rounds rounds" keepalived lbkit "lbkit/keepalived"
for m in $metrics; do
  k=$(median keepalived "$m"); l=$(median lbkit "$m")
  ratio=$(awk -v k="$k" -v l="$l" 'BEGIN { if (k == "-" || l == "-" || k == 0) print "-"; else printf "%.2f", l / k }')
  printf '%-26s %12s %12s %16s\n' "$m" "$k" "$l" "$ratio"
done

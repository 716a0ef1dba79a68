#!/usr/bin/env bash
# Fleet mode under faults (issue 14), in network namespaces of this script's own, direct routing: the topology
# of fleet-lib.sh (client -- FRR ECMP router -- 3 directors on nftables DR, mh, each with zebra+bgpd+bfdd --
# 10 real servers answering the client directly; etcd on 127.0.0.1 in a temporary data dir). Services on the
# VIP 10.0.0.1, all mh over the same 10 real servers: :80 (requests), :81 (flows). Director loss: fleet-kill.sh.
# 1. etcd outage under traffic: the client sends one HTTP GET every INTERVAL ms (new connection each) for
#    BEFORE + OUTAGE + AFTER s; etcd is stopped (SIGTERM) for OUTAGE s, then started again (same data dir).
#    Counted: failed requests, nf_tables writes (`nft monitor` in each director's namespace) and route changes
#    of the VIP on the router (`ip monitor route`; a withdrawal is one), during the outage and after it.
#    Goal: 0 / 0 / 0.
# 2. Real-server removal: FLOWS client addresses (DR mh hashes the client address) each send one SYN to :81;
#    each real server records the client addresses whose SYN it received (an nft set in its namespace);
#    one of the 10 real servers is removed from :81 (etcdctl put, applied on all 3 directors), the same
#    FLOWS addresses send again. The share of addresses whose real server changed, against the ideal 1/10.
#    Measured through the data path (router ECMP -> any director -> real server). Goal <= 1.2x ideal.
# Bounded: every wait has a deadline; everything started here is stopped by its pid, namespaces deleted.
# Environment: REQ_DEADLINE_MS (each request's connect and read deadlines, default 1000; FleetScriptsNetnsTest gives
#    more: on a loaded CI host a slow answer is not the failure looked for), BFD_MS (fleet-lib.sh).
# usage: lb-bench/scripts/fleet-faults.sh [OUTAGE=60] [FLOWS=1000]   (root; etcd, frr, nft, busybox, java)
set -euo pipefail
export LC_ALL=C
OUTAGE=${1:-60}; FLOWS=${2:-1000}; BEFORE=10; AFTER=20; INTERVAL=50; REQ_DEADLINE_MS=${REQ_DEADLINE_MS:-1000}
CMD="bash lb-bench/scripts/fleet-faults.sh $OUTAGE $FLOWS"
cd "$(dirname "$0")/../.."
. lb-bench/scripts/fleet-lib.sh
fleet_require
[ "$FLOWS" -le 1000 ] || { echo "FLOWS <= 1000 (client addresses 10.98.4.0/22)" >&2; exit 2; }
P=lbff$$; W=$(mktemp -d /tmp/lbkit-fleet-faults-XXXXXX); chmod 755 "$W"; KEY=/lbkit/faults; CLIENTS=$FLOWS
PIDS=()
trap fleet_cleanup EXIT
fleet_setup
routes() { grep -c '10\.0\.0\.1' "$W/r/routes" || true; }

# 1. etcd outage under traffic
for i in 1 2 3; do
  ip netns exec "$P-d$i" nft monitor >"$W/d$i/monitor" 2>&1 &
  PIDS+=($!)
done
sleep 1
echo "positive control: ip monitor route saw $(routes) route changes of the VIP while the 3 directors announced it"
applied() { cat "$W"/d?/run.out | grep -oE 'FLEET applied [0-9]+' | sort -u | wc -l; } # revisions applied
writes() { cat "$W"/d?/monitor | grep -c . || true; }
ip netns exec "$P-c" java lb-bench/scripts/FleetRequests.java 10.0.0.1 80 $((BEFORE + OUTAGE + AFTER)) $INTERVAL "$REQ_DEADLINE_MS" >"$W/req" 2>&1 &
REQ=$!; PIDS+=($REQ)
# the clock starts with the first answered request: the client (a source-file java program) may take many seconds
# to start on a loaded host, and the outage must fall inside its traffic, not before it
for i in $(seq 1 1200); do grep -q '^REQ ' "$W/req" && break; kill -0 "$REQ" 2>/dev/null || break; sleep 0.1; done
grep -q '^REQ ' "$W/req" || { echo "the request client did not start within 120 s"; cat "$W/req"; exit 1; }
sleep "$BEFORE"
w0=$(writes); r0=$(routes); a0=$(applied); t_stop=$(date +%s%3N)
kill "$ETCD"; wait "$ETCD" 2>/dev/null || true
sleep "$OUTAGE"
w1=$(writes); r1=$(routes); a1=$(applied); t_start=$(date +%s%3N)
start_etcd
for i in $(seq 1 $((AFTER * 10 + 600))); do kill -0 "$REQ" 2>/dev/null || break; sleep 0.1; done
w2=$(writes); r2=$(routes); a2=$(applied)
tail -n 1 "$W/req"
fails() { awk -v a="$1" -v b="$2" '$1 == "REQ" && $2 >= a && $2 < b && $3 == "fail"' "$W/req" | wc -l; }
total() { awk -v a="$1" -v b="$2" '$1 == "REQ" && $2 >= a && $2 < b' "$W/req" | wc -l; }
echo "ETCD-OUTAGE ${OUTAGE}s (one GET every ${INTERVAL} ms through the VIP, deadlines ${REQ_DEADLINE_MS} ms; 3 directors, 10 real servers):" \
  "failed requests before=$(fails 0 "$t_stop")/$(total 0 "$t_stop") during=$(fails "$t_stop" "$t_start")/$(total "$t_stop" "$t_start")" \
  "after=$(fails "$t_start" 99999999999999)/$(total "$t_start" 99999999999999);" \
  "nf_tables writes during=$((w1 - w0)) after=$((w2 - w1)); VIP route changes on the router during=$((r1 - r0)) after=$((r2 - r1));" \
  "new revisions applied during=$((a1 - a0)) after=$((a2 - a1)) (goal 0 / 0 / 0)"
ip -n "$P-r" route show 10.0.0.1/32
[ $((w2 - w0)) = 0 ] || { echo "nf_tables events:"; cat "$W"/d?/monitor | head -20; }
[ $((r2 - r0)) = 0 ] || { echo "route events:"; grep '10\.0\.0\.1' "$W/r/routes" | head -20
  echo "BFD state changes on the router:"; grep -h 'state-change' "$W/r/bfdd.log" | tail -n 10 || true; }
grep -h -i -E 'warn|etcd' "$W"/d1/run.out | tail -n 4 || true
awk '$1 == "REQ" && $3 == "fail"' "$W/req" | head -5

# 2. real-server removal share (through the data path)
seen() { # the client address -> real server map, one "ADDR s" line each
  for s in $(seq 1 $RS); do
    ip netns exec "$P-s$s" nft list set inet lbkit_measure seen | { grep -oE '10\.98\.[0-9]+\.[0-9]+' || true; } | sed "s/\$/ $s/"
  done | sort
}
ip netns exec "$P-c" java lb-bench/scripts/FleetSources.java 10.0.0.1 81 "$FLOWS" 10.98.4.1
sleep 0.5; seen >"$W/before"
for s in $(seq 1 $RS); do ip netns exec "$P-s$s" nft flush set inet lbkit_measure seen; done
rev=$(conf $((RS - 1)) | etcdctl --endpoints "$E" put "$KEY" -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
for i in $(seq 1 1200); do # 120 s at most (a loaded host)
  n=0; for d in 1 2 3; do grep -q "FLEET applied $rev " "$W/d$d/run.out" && n=$((n + 1)); done
  [ $n = 3 ] && break; sleep 0.1
done
[ $n = 3 ] || { echo "revision $rev not applied on all 3 directors within 120 s"; exit 1; }
ip netns exec "$P-c" java lb-bench/scripts/FleetSources.java 10.0.0.1 81 "$FLOWS" 10.98.4.1
sleep 0.5; seen >"$W/after"
echo "positive control: nft monitor saw $(( $(writes) - w2 )) nf_tables events in the 3 directors for the removal"
join "$W/before" "$W/after" | awk -v flows="$FLOWS" -v rs=$RS -v nb="$(wc -l <"$W/before")" -v na="$(wc -l <"$W/after")" '
  { n++; if ($2 != $3) { moved++; if ($2 == rs) fromRemoved++ } }
  END { ideal = 1 / rs; share = moved / n
    printf "RS-REMOVAL mh, %d real servers -> %d, %d client addresses (seen before %d, after %d, both %d): %d moved = %.1f%% (of them from the removed one: %d), ideal %.1f%%, ratio %.2fx (goal <= 1.2x)\n",
      rs, rs - 1, flows, nb, na, n, moved, 100 * share, fromRemoved, 100 * ideal, share / ideal }'
echo "after: $(uptime)"
echo "command: $CMD"

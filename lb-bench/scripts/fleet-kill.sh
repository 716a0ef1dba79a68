#!/usr/bin/env bash
# Director loss in fleet mode (issue 14), in the topology of fleet-lib.sh (client -- FRR ECMP router with BFD --
# 3 directors on nftables DR, mh, each `lbctl run` + zebra/bgpd/bfdd -- 10 real servers answering the client
# directly; etcd on 127.0.0.1, temporary data dir).
# Traffic through the VIP 10.0.0.1:
#   - LONG long-lived TCP connections to an echo service (:82), one from each of LONG client addresses (DR mh
#     hashes the client address: they spread over the real servers; the router's L4 hash spreads them over the
#     directors); each sends a request every 100 ms and reads the echo (FleetLongLived.java);
#   - new flows: one HTTP GET on a new connection every NEW_MS ms to :80 (FleetRequests.java; 1 s connect and
#     read deadlines), from varied source ports, so about a third go through each director.
# DEATH=link (default): 5 s after both are under way the link of director d1 goes down and the processes of d1 that this script started -- its
# `lbctl run`, bgpd, bfdd and zebra -- get SIGKILL, by pid (no BGP notification, no withdrawal). The router's
# bfdd detects the silence after 3 x BFD_MS, bgpd drops d1's routes and zebra removes the next hop.
# DEATH=silent: the link stays up and d1's namespace drops every frame in and out (nft, before lbkit): a dead
# host whose switch port stays up. (With the link down the router's bridge forgets d1's MAC and floods d1's
# frames to every port; lbkit's ingress chains forwarded them from the other directors too until they matched
# `meta pkttype host` only, as IPVS does: now those frames are dropped, as on IPVS directors.)
# Measured: the new-flow failure window (from the first failed new connection to the last), the time from the
# kill to the router's kernel route losing d1; how many of the LONG connections were kept (no reset, no close,
# still answered at the end) overall and of those that went through d1 (the client addresses d1's namespace saw
# on :82 in the second before the kill: nft set netdev lbkit_measure seen82), their longest gap between two
# replies, and the resets the real servers sent from :82 (nft counter). The connections d1 carried reach d2 or
# d3 after the rehash, whose mh picks the same real server (same slot table and hash seed, no per-flow state).
# Goals: window <= 1 s; >= 99% of the long-lived connections kept.
# Bounded: every wait has a deadline; everything started here is stopped by its pid, namespaces deleted.
# usage: lb-bench/scripts/fleet-kill.sh [LONG=300] [NEW_MS=20] [AFTER=10]   (root; etcd, frr, nft, busybox,
#        python3, java; BFD_MS=200 by default)
set -euo pipefail
export LC_ALL=C
LONG=${1:-300}; NEW_MS=${2:-20}; AFTER=${3:-10}; BEFORE=5; DEATH=${DEATH:-link}
CMD="bash lb-bench/scripts/fleet-kill.sh $LONG $NEW_MS $AFTER"
[ -n "${BFD_MS:-}" ] && CMD="BFD_MS=$BFD_MS $CMD"
[ "$DEATH" = link ] || CMD="DEATH=$DEATH $CMD"
case "$DEATH" in link|silent) ;; *) echo "DEATH=link|silent" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../.."
. lb-bench/scripts/fleet-lib.sh
fleet_require
[ "$LONG" -ge 1 ] && [ "$LONG" -le 1000 ] || { echo "LONG 1-1000 (client addresses 10.98.4.0/22)" >&2; exit 2; }
P=lbfk$$; W=$(mktemp -d /tmp/lbkit-fleet-kill-XXXXXX); chmod 755 "$W"; KEY=/lbkit/kill; CLIENTS=$LONG
PIDS=()
trap fleet_cleanup EXIT
fleet_setup
S=lb-bench/scripts
RUN=$((BEFORE + AFTER))
# new flows first (they run until stopped below), then the long-lived connections; both JVMs compile their
# source first, which takes seconds on a loaded host: the kill waits until both are under way
ip netns exec "$P-c" java -Xmx128m $S/FleetRequests.java 10.0.0.1 80 $((RUN + 120)) "$NEW_MS" >"$W/req" 2>&1 &
REQ=$!; PIDS+=($REQ)
for i in $(seq 1 600); do grep -q '^REQ' "$W/req" && break; sleep 0.1; done
grep -q '^REQ' "$W/req" || { echo "no new-flow request within 60 s"; cat "$W/req"; exit 1; }
ip netns exec "$P-c" java -Xmx128m $S/FleetLongLived.java 10.0.0.1 82 "$LONG" 10.98.4.1 $((RUN + 2)) 100 1000 >"$W/long" 2>&1 &
LL=$!; PIDS+=($LL)
for i in $(seq 1 600); do grep -q '^OPEN' "$W/long" && break; sleep 0.1; done
grep '^OPEN' "$W/long" || { echo "long-lived connections not open within 60 s"; cat "$W/long"; exit 1; }
sleep $((BEFORE - 1))
for i in 1 2 3; do ip netns exec "$P-d$i" nft flush set netdev lbkit_measure seen82; done
sleep 1
for i in 1 2 3; do
  ip netns exec "$P-d$i" nft list set netdev lbkit_measure seen82 | { grep -oE '10\.98\.[0-9]+\.[0-9]+' || true; } | sort >"$W/via$i"
done
echo "long-lived connections per director in the second before the kill: d1 $(wc -l <"$W/via1"), d2 $(wc -l <"$W/via2"), d3 $(wc -l <"$W/via3")"
read -r lbctl_pid bgpd_pid bfdd_pid zebra_pid <<<"${D_PIDS[1]}"
if [ "$DEATH" = silent ]; then # the link stays up: d1's namespace drops every frame in and out before lbkit
  ip netns exec "$P-d1" nft -f - <<NFT
table netdev lbkit_dead {
  chain in { type filter hook ingress device eth0 priority -200; policy accept; }
}
table inet lbkit_dead {
  chain out { type filter hook output priority -300; policy accept; }
}
NFT
fi
foreign() { ip netns exec "$P-d$1" nft list chain netdev lbkit_measure in | sed -n 's/.*counter packets \([0-9]*\).*foreign.*/\1/p'; }
f2=$(foreign 2); f3=$(foreign 3)
echo "before the kill: route changes of the VIP on the router $(grep -c '10\.0\.0\.1' "$W/r/routes" || true) (3 = the first announcements; more = flaps)," \
  "BFD session downs on the router $(grep -c 'up -> down' "$W/r/bfdd.log" || true)"
t_kill=$(date +%s%3N)
[ "$DEATH" = silent ] && ip netns exec "$P-d1" nft 'add chain netdev lbkit_dead in { type filter hook ingress device eth0 priority -200; policy drop; }; add chain inet lbkit_dead out { type filter hook output priority -300; policy drop; }'
[ "$DEATH" = link ] && ip -n "$P-d1" link set eth0 down
kill -9 "$lbctl_pid" "$bgpd_pid" "$bfdd_pid" "$zebra_pid"
t_route=""
for i in $(seq 1 2000); do # 20 s at most
  [ "$(vias)" = 2 ] && { t_route=$(date +%s%3N); break; }; sleep 0.01
done
echo "packets to the VIP in frames for another MAC (bridge flooding) from the kill to the route change: d2 $(( $(foreign 2) - f2 )), d3 $(( $(foreign 3) - f3 ))"
echo "killed d1 (lbctl run $lbctl_pid, bgpd $bgpd_pid, bfdd $bfdd_pid, zebra $zebra_pid) and its link at $t_kill;" \
  "router's route to the VIP lost it after $([ -n "$t_route" ] && echo "$((t_route - t_kill)) ms" || echo "more than 20 s")"
ip -n "$P-r" route show 10.0.0.1/32
for i in $(seq 1 $(((RUN + 30) * 10))); do kill -0 "$LL" 2>/dev/null || break; sleep 0.1; done
kill "$REQ" 2>/dev/null || true; wait "$LL" "$REQ" 2>/dev/null || true
tail -n 1 "$W/long"
grep -h -i 'down\|bfd' "$W/r/bfdd.log" | grep -i 'state\|down' | tail -n 3 || true
# new flows: failure window
awk -v k="$t_kill" '$1 == "REQ" { n++; if ($2 < k) before++; if ($3 == "fail") { f++; if (!first || $2 < first) first = $2; if ($2 > last) last = $2; if ($2 < k) fb++ } }
  END { printf "NEW-FLOWS one every '"$NEW_MS"' ms: %d requests, %d failed (%d of them before the kill); failure window %s ms", n, f, fb, f ? last - first + 0 : 0;
    if (f) printf " (first failure %+d ms, last %+d ms from the kill)", first - k, last - k; printf " (goal <= 1000 ms)\n" }' "$W/req"
echo "new flows started between the kill and the route change: $(awk -v a="$t_kill" -v b="${t_route:-99999999999999}" '$1 == "REQ" && $2 >= a && $2 < b' "$W/req" | wc -l)"
awk '$1 == "REQ" && $3 == "fail"' "$W/req" | awk '{print $3, $4}' | sort | uniq -c | head -5
# long-lived: kept overall and of d1's
resets=0
for s in $(seq 1 $RS); do
  c=$(ip netns exec "$P-s$s" nft list chain inet lbkit_measure out | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
  resets=$((resets + ${c:-0}))
done
awk -v via="$W/via1" -v resets="$resets" -v n="$LONG" '
  BEGIN { while ((getline a < via) > 0) d1[a] = 1 }
  $1 == "CONN" { t++; if ($4 == "kept") k++; if ($2 in d1) { dt++; if ($4 == "kept") dk++; if ($5 > dgap) dgap = $5 } else if ($5 > ogap) ogap = $5;
    if ($6 > 0) st++ }
  END { printf "LONG-LIVED %d connections (request/response every 100 ms): kept %d of %d (%.1f%%); through the killed director d1: kept %d of %d; stalled > 1 s: %d; longest gap between replies: d1 %d ms, others %d ms; RSTs sent by the real servers from :82: %d (goal >= 99%% kept)\n",
      n, k, t, t ? 100 * k / t : 0, dk, dt, st, dgap, ogap, resets }' "$W/long"
grep '^CONN' "$W/long" | awk '$4 == "lost"' | head -5
echo "stalled > 1 s, not seen on d1 before the kill: $(awk -v via="$W/via1" 'BEGIN { while ((getline a < via) > 0) d1[a] = 1 } $1 == "CONN" && $6 > 0 && !($2 in d1)' "$W/long" | wc -l)"
echo "BFD session downs on the router in the whole run: d1 $(grep -c 'peer:10.99.0.2 .*up -> down' "$W/r/bfdd.log" || true), d2 $(grep -c 'peer:10.99.0.3 .*up -> down' "$W/r/bfdd.log" || true), d3 $(grep -c 'peer:10.99.0.4 .*up -> down' "$W/r/bfdd.log" || true) (1 = d1's death; more = flaps)"
echo "after: $(uptime)"
echo "command: $CMD"

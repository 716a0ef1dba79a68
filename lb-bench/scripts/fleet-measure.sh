#!/usr/bin/env bash
# Fleet mode figures (issue 14), in network namespaces of this script's own:
#   client -- router (FRR zebra+bgpd, ECMP maximum-paths 8, fib_multipath_hash_policy=1) -- 3 directors,
#   each director = `lbctl run --etcd ... --netns dN --dataplane nftables --bgp frr` + its own bgpd;
#   etcd (Debian etcd-server) on 127.0.0.1 with a temporary data dir.
# 1. Spread: FLOWS new TCP flows (distinct source ports, one SYN each) from the client to the VIP;
#    each director counts the SYNs it receives (an nft counter in its namespace, before NAT).
#    Goal: every director >= 20%.
# 2. put-to-applied: CHANGES puts (etcdctl put, alternating a real server's weight), each timed from
#    just before the put to the moment the LAST of the 3 directors prints "FLEET applied REV"
#    (lbctl run's timestamp, taken when its dataplane change returned). p50/p99/max in ms.
#    Goal: p99 <= 100 ms (Kubernetes' SLO for a Service change: 30 s).
#    With FLEET_TIMING=1 each director also logs where the time of each watch event went (lb-fleet's ApplyTiming and
#    lb-nftables' batch timing, at debug level), and the script prints p50/p99/max per stage over every
#    (revision, director): put (etcdctl's own run, incl. its process start), put -> watch event received, the wait
#    for the director's thread, parse, reload (diff + nftables batch), of which the batch sent and acked, status
#    (announcement, the printed line), the director thread's CPU time against that wall time, and the registration's
#    write to etcd that follows (not in the figure: the line is printed before it).
# Environment: FLEET_JAR (default lb-cli/target/lbctl.jar) or FLEET_CP (a class path: java -cp FLEET_CP io.lbkit.cli.Lbctl), FLEET_JAVA_OPTS (the director JVMs' options; default
#    the lbctl launcher's: -XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=1 ..., what we recommend to operators),
#    FLEET_KEEP=DIR keeps the directors' logs there.
# The dataplane is nftables NAT (this host has no IPVS); real servers are not needed for either figure.
# Bounded: every wait has a deadline; everything started here is stopped by its pid, namespaces deleted.
# usage: lb-bench/scripts/fleet-measure.sh [FLOWS=1000] [CHANGES=100]   (root; etcd, frr, nft, java)
set -euo pipefail
FLOWS=${1:-1000}; CHANGES=${2:-100}
CMD="bash lb-bench/scripts/fleet-measure.sh $FLOWS $CHANGES"
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
for p in etcd etcdctl nft /usr/lib/frr/bgpd /usr/lib/frr/zebra vtysh java; do
  command -v "$p" >/dev/null || { echo "needs $p (.ci/run installs it)" >&2; exit 2; }
done
. lb-bench/scripts/fleet-lib.sh
lbctl_main
# the launcher's (lb-cli/bin/lbctl) JVM settings for a director, but its AppCDS archive
JOPTS=${FLEET_JAVA_OPTS:--XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -Xss512k -XX:MaxMetaspaceSize=96m -Xshare:auto}
if [ "${FLEET_TIMING:-0}" = 1 ]; then
  JOPTS="$JOPTS -Dorg.slf4j.simpleLogger.log.io.lbkit.fleet.ApplyTiming=debug -Dorg.slf4j.simpleLogger.log.io.lbkit.nftables.NftablesIpvs=debug"
fi
P=lbf$$; W=$(mktemp -d /tmp/lbkit-fleet-measure-XXXXXX); chmod 755 "$W"
PIDS=()
cleanup() { # newest first: lbctl runs withdraw and deregister while bgpd and etcd still run
  for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do
    p=${PIDS[$k]}; kill "$p" 2>/dev/null || continue
    for t in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  for n in r c d1 d2 d3; do ip netns del "$P-$n" 2>/dev/null || true; done
  if [ -n "${FLEET_KEEP:-}" ]; then mkdir -p "$FLEET_KEEP"; cp "$W/puts" "$W/stages" "$W/anchor" "$FLEET_KEEP/" 2>/dev/null || true
    for d in 1 2 3; do cp "$W/d$d/run.out" "$FLEET_KEEP/d$d.out" 2>/dev/null || true; done; fi
  rm -rf "$W"
}
trap cleanup EXIT
echo "machine: $(nproc) CPUs; $(uptime)"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || shuf -i 20000-60000 -n 1; }
CP=$(free_port); PP=$(free_port)
E=http://127.0.0.1:$CP
etcd --name m --data-dir "$W/etcd" --listen-client-urls "$E" --advertise-client-urls "$E" \
  --listen-peer-urls "http://127.0.0.1:$PP" --initial-advertise-peer-urls "http://127.0.0.1:$PP" \
  --initial-cluster "m=http://127.0.0.1:$PP" >"$W/etcd.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 300); do curl -sf "$E/health" >/dev/null 2>&1 && break; sleep 0.2; done # 60 s (a loaded host)
curl -sf "$E/health" >/dev/null || { echo "etcd did not start"; tail "$W/etcd.log"; exit 1; }

# namespaces: client 10.98.0.2 -- 10.98.0.1 router 10.99.I.1 -- 10.99.I.2 director I
for n in r c d1 d2 d3; do ip netns add "$P-$n"; ip -n "$P-$n" link set lo up; done
ip link add "$P-c0" type veth peer name "$P-rc"
ip link set "$P-c0" netns "$P-c"; ip link set "$P-rc" netns "$P-r"
ip -n "$P-c" link set "$P-c0" name eth0; ip -n "$P-r" link set "$P-rc" name ethc
ip -n "$P-c" addr add 10.98.0.2/24 dev eth0; ip -n "$P-r" addr add 10.98.0.1/24 dev ethc
ip -n "$P-c" link set eth0 up; ip -n "$P-r" link set ethc up
ip -n "$P-c" route add default via 10.98.0.1
ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1
RCONF="frr defaults datacenter
router bgp 65000
 bgp router-id 10.98.0.1
 no bgp ebgp-requires-policy"
for i in 1 2 3; do
  ip link add "$P-r$i" type veth peer name "$P-d$i"
  ip link set "$P-r$i" netns "$P-r"; ip link set "$P-d$i" netns "$P-d$i"
  ip -n "$P-r" link set "$P-r$i" name "eth$i"; ip -n "$P-d$i" link set "$P-d$i" name eth0
  ip -n "$P-r" addr add "10.99.$i.1/24" dev "eth$i"; ip -n "$P-d$i" addr add "10.99.$i.2/24" dev eth0
  ip -n "$P-r" link set "eth$i" up; ip -n "$P-d$i" link set eth0 up
  ip -n "$P-d$i" route add default via "10.99.$i.1"
  RCONF="$RCONF
 neighbor 10.99.$i.2 remote-as 65001
 neighbor 10.99.$i.2 timers 1 3
 neighbor 10.99.$i.2 timers connect 1"
  # the SYN counter, before NAT
  ip netns exec "$P-d$i" nft add table inet lbkit_measure
  ip netns exec "$P-d$i" nft add chain inet lbkit_measure pre '{ type filter hook prerouting priority -300; }'
  ip netns exec "$P-d$i" nft add rule inet lbkit_measure pre ip daddr 10.0.0.1 tcp flags syn counter
done
RCONF="$RCONF
 address-family ipv4 unicast
  maximum-paths 8
 exit-address-family"
mkdir -p "$W/r"; chown frr:frr "$W/r"; printf '%s\n' "$RCONF" >"$W/r/frr.conf"
ip netns exec "$P-r" /usr/lib/frr/zebra -u frr -g frr -z "$W/r/zserv.api" --vty_socket "$W/r" -i "$W/r/zebra.pid" \
  -f "$W/r/frr.conf" --log "file:$W/r/zebra.log" >"$W/r/zebra.out" 2>&1 &
PIDS+=($!)
for i in $(seq 1 300); do [ -S "$W/r/zserv.api" ] && break; sleep 0.1; done
ip netns exec "$P-r" /usr/lib/frr/bgpd -S -z "$W/r/zserv.api" --vty_socket "$W/r" -i "$W/r/bgpd.pid" \
  -f "$W/r/frr.conf" --log "file:$W/r/bgpd.log" >"$W/r/bgpd.out" 2>&1 &
PIDS+=($!)
conf() { # $1 = weight of the second real server
  printf 'virtual_server 10.0.0.1 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n  real_server 10.1.0.1 80 {\n    weight 1\n  }\n  real_server 10.1.0.2 80 {\n    weight %s\n  }\n}\n' "$1"
}
conf 1 >"$W/a.conf"
# 3 tries: a just-started etcd on a loaded host (load 33) missed lbctl put's 10 s deadline
for t in 1 2 3; do java $LBCTL_MAIN put --etcd "$E" --key /lbkit/measure "$W/a.conf" && break; [ $t -lt 3 ] || exit 1; done
for i in 1 2 3; do
  mkdir -p "$W/d$i"
  printf 'frr defaults datacenter\nrouter bgp 65001\n bgp router-id 10.99.%s.2\n no bgp ebgp-requires-policy\n no bgp network import-check\n neighbor 10.99.%s.1 remote-as 65000\n neighbor 10.99.%s.1 timers 1 3\n neighbor 10.99.%s.1 timers connect 1\n' \
    "$i" "$i" "$i" "$i" >"$W/d$i/frr.conf"
  ip netns exec "$P-d$i" /usr/lib/frr/bgpd -S -Z --vty_socket "$W/d$i" -i "$W/d$i/bgpd.pid" -f "$W/d$i/frr.conf" \
    --log "file:$W/d$i/bgpd.log" >"$W/d$i/bgpd.out" 2>&1 &
  PIDS+=($!)
  # shellcheck disable=SC2086 # the options are words
  java $JOPTS $LBCTL_MAIN run --etcd "$E" --key /lbkit/measure --name "d$i" --netns "$P-d$i" --dataplane nftables \
    --bgp frr --vtysh "ip netns exec $P-d$i vtysh --vty_socket $W/d$i" --asn 65001 >"$W/d$i/run.out" 2>&1 &
  PIDS+=($!)
  # one director up before the next starts: three cold JVMs at once on a loaded 2-CPU host missed etcd's deadlines
  for t in $(seq 1 1200); do grep -q "following /lbkit/measure" "$W/d$i/run.out" && break; sleep 0.1; done
done
echo "JVM options of the directors: $JOPTS"
# the router's route to the VIP over the 3 directors (120 s at most)
for i in $(seq 1 600); do
  [ "$(ip -n "$P-r" route show 10.0.0.1/32 | grep -c 'via 10.99')" = 3 ] && break; sleep 0.2
done
ip -n "$P-r" route show 10.0.0.1/32
[ "$(ip -n "$P-r" route show 10.0.0.1/32 | grep -c 'via 10.99')" = 3 ] || { echo "no 3-way ECMP route"; for d in 1 2 3; do tail -n 5 "$W/d$d/run.out"; done; ip netns exec "$P-r" vtysh --vty_socket "$W/r" -c "show bgp summary" || true; exit 1; }

# 1. spread
ip netns exec "$P-c" java lb-bench/scripts/FleetFlows.java 10.0.0.1 80 "$FLOWS" 30000
sleep 0.5
total=0; counts=()
for i in 1 2 3; do
  c=$(ip netns exec "$P-d$i" nft list chain inet lbkit_measure pre | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
  counts+=("$c"); total=$((total + c))
done
echo "SPREAD flows=$FLOWS received=$total d1=${counts[0]} d2=${counts[1]} d3=${counts[2]}" \
  "min-share=$(printf '%s\n' "${counts[@]}" | sort -n | head -1 | awk -v t="$total" '{printf "%.1f%%", 100*$1/t}') (goal >= 20%)"

# 2. put-to-applied
if [ "${FLEET_TIMING:-0}" = 1 ]; then
  # the anchor for "put -> watch event received": etcd's own Go client watching the same key, each response stamped
  # as it is read (python, no process per line)
  etcdctl --endpoints "$E" watch /lbkit/measure -w json 2>/dev/null > >(python3 -u -c '
import re, sys, time
for l in sys.stdin:
    m = re.search(r"\"(?:mod_)?revision\":(\d+)", l)
    if m: print(m.group(1), time.time_ns(), flush=True)' >"$W/anchor") &
  PIDS+=($!) # etcdctl; python ends with its output
  sleep 1
fi
echo "puts start: $(uptime)"
: >"$W/puts"
for n in $(seq 1 "$CHANGES"); do
  conf $(( (n % 2) + 1 )) >"$W/c.conf"
  t0=$(date +%s%N)
  rev=$(etcdctl --endpoints "$E" put /lbkit/measure -w json <"$W/c.conf" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
  t1=$(date +%s%N)
  echo "$rev $t0 $t1" >>"$W/puts"
  for i in $(seq 1 1200); do # 60 s at most (a loaded host; the figures are the logs' timestamps, not this wait)
    done_all=1
    for d in 1 2 3; do grep -q "FLEET applied $rev " "$W/d$d/run.out" || { done_all=0; break; }; done
    [ $done_all = 1 ] && break; sleep 0.05 # the figures are the logs' timestamps: this only paces the next put
  done
  [ $done_all = 1 ] || { echo "revision $rev not applied everywhere within 60 s"; for d in 1 2 3; do tail -n 4 "$W/d$d/run.out"; done; exit 1; }
done
while read -r rev t0 t1; do
  last=0
  for d in 1 2 3; do
    ts=$(grep -m1 "FLEET applied $rev " "$W/d$d/run.out" | cut -d' ' -f1)
    t=$(date -d "$ts" +%s%N); [ "$t" -gt "$last" ] && last=$t
  done
  echo $(( (last - t0) / 1000 ))
done <"$W/puts" | sort -n >"$W/lat"
awk -v n="$CHANGES" '{ a[NR] = $1 } END {
  p50 = a[int((NR + 1) / 2)]; p99 = a[int(NR * 0.99 + 0.999)]; printf "PUT-TO-APPLIED on all 3 directors over %d changes: p50=%.1f ms p99=%.1f ms max=%.1f ms (goal p99 <= 100 ms)\n", NR, p50 / 1000, p99 / 1000, a[NR] / 1000 }' "$W/lat"
if [ "${FLEET_TIMING:-0}" = 1 ]; then
  # per (revision, director): the ApplyTiming line, the nftables batch line logged just before it, the put's times
  for d in 1 2 3; do
    awk -v d="$d" '/TIMING nftables apply/ { for (i = 1; i <= NF; i++) if ($i == "batch_sent_and_acked_us") b = $(i + 1) }
      / TIMING revision / { for (i = 1; i <= NF; i++) { if ($i == "revision") r = $(i + 1); if ($i == "received") rc = $(i + 1)
        if ($i ~ /_us$/) v[$i] = $(i + 1) }
        print r, d, rc, v["queue_us"], v["parse_us"], v["reload_us"], b, v["status_us"], v["total_us"], v["cpu_us"], v["register_us"]; b = "" }' "$W/d$d/run.out"
  done >"$W/timing"
  while read -r rev d rc q pa rl b st tot cpu reg; do
    t0=$(awk -v r="$rev" '$1 == r { print $2 }' "$W/puts"); t1=$(awk -v r="$rev" '$1 == r { print $3 }' "$W/puts")
    [ -n "$t0" ] || continue
    rcv=$(date -d "$rc" +%s%N)
    ta=$(awk -v r="$rev" '$1 == r { print $2; exit }' "$W/anchor")
    echo "$(( (t1 - t0) / 1000 )) $(( (${ta:-$t0} - t0) / 1000 )) $(( (rcv - t0) / 1000 )) $q $pa $rl ${b:-0} $st $tot $cpu ${reg:-0}"
  done <"$W/timing" >"$W/stages"
  echo "PER STAGE over $(wc -l <"$W/stages") (revision, director) pairs, microseconds: p50 / p99 / max"
  i=0
  for name in "etcdctl put (process start + commit)" "put -> etcdctl watch received (anchor)" \
      "put -> watch event received (jetcd)" "queue for the director thread" \
      "parse + validate" "reload (diff + dataplane)" "  of which nftables batch sent+acked" \
      "status (announce, print)" "received -> applied printed" "  director thread CPU (dequeued -> printed)" \
      "then: registration written to etcd"; do
    i=$((i + 1))
    cut -d' ' -f$i "$W/stages" | sort -n | awk -v n="$name" '{ a[NR] = $1 } END {
      printf "  %-40s %8d %8d %8d\n", n, a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.999)], a[NR] }'
  done
fi
echo "after: $(uptime)"
echo "command: $CMD"

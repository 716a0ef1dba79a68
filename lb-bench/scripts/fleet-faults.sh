#!/usr/bin/env bash
# Fleet mode under faults (issue 14), in network namespaces of this script's own, direct routing:
#   client -- router (FRR zebra+bgpd, ECMP maximum-paths 8, fib_multipath_hash_policy=1) on a LAN (a bridge in
#   the router's namespace) with 3 directors (`lbctl run --etcd ... --dataplane nftables --bgp frr`, each with its
#   own bgpd; table netdev lbkit, mh) and 10 real servers (VIP on lo, arp_ignore, busybox httpd on port 80) that
#   answer the client directly through the router; etcd (Debian etcd-server) on 127.0.0.1, temporary data dir.
# Two services on the VIP 10.0.0.1, both mh over the same 10 real servers: :80 (requests), :81 (flows).
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
# usage: lb-bench/scripts/fleet-faults.sh [OUTAGE=60] [FLOWS=1000]   (root; etcd, frr, nft, busybox, java)
set -euo pipefail
export LC_ALL=C
OUTAGE=${1:-60}; FLOWS=${2:-1000}; BEFORE=10; AFTER=20; INTERVAL=50
CMD="bash lb-bench/scripts/fleet-faults.sh $OUTAGE $FLOWS"
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
for p in etcd etcdctl nft busybox /usr/lib/frr/bgpd /usr/lib/frr/zebra vtysh java; do
  command -v "$p" >/dev/null || { echo "needs $p (.ci/run installs it)" >&2; exit 2; }
done
[ "$FLOWS" -le 1000 ] || { echo "FLOWS <= 1000 (client addresses 10.98.4.0/22)" >&2; exit 2; }
[ -f lb-cli/target/lbctl.jar ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
JAR=$PWD/lb-cli/target/lbctl.jar
P=lbff$$; W=$(mktemp -d /tmp/lbkit-fleet-faults-XXXXXX); chmod 755 "$W"
RS=10; NS="r c d1 d2 d3 $(seq -f 's%g' 1 $RS | tr '\n' ' ')"
PIDS=()
cleanup() { # newest first: lbctl runs withdraw and deregister while bgpd and etcd still run
  for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do
    p=${PIDS[$k]}; kill "$p" 2>/dev/null || continue
    for t in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  for n in $NS; do ip netns del "$P-$n" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT
echo "machine: $(nproc) CPUs; $(uptime)"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || shuf -i 20000-60000 -n 1; }
CP=$(free_port); PP=$(free_port)
E=http://127.0.0.1:$CP
start_etcd() {
  etcd --name m --data-dir "$W/etcd" --listen-client-urls "$E" --advertise-client-urls "$E" \
    --listen-peer-urls "http://127.0.0.1:$PP" --initial-advertise-peer-urls "http://127.0.0.1:$PP" \
    --initial-cluster "m=http://127.0.0.1:$PP" >>"$W/etcd.log" 2>&1 &
  ETCD=$!; PIDS+=($ETCD)
  for i in $(seq 1 100); do curl -sf "$E/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "$E/health" >/dev/null || { echo "etcd did not start"; tail "$W/etcd.log"; exit 1; }
}
start_etcd

# namespaces: client 10.98.0.2 (+ 10.98.4.0/22) -- 10.98.0.1 router, br0 10.99.0.1 -- directors 10.99.0.2-4,
# real servers 10.99.0.11-20
for n in $NS; do ip netns add "$P-$n"; ip -n "$P-$n" link set lo up; done
ip link add "$P-c0" type veth peer name "$P-rc"
ip link set "$P-c0" netns "$P-c"; ip link set "$P-rc" netns "$P-r"
ip -n "$P-c" link set "$P-c0" name eth0; ip -n "$P-r" link set "$P-rc" name ethc
ip -n "$P-c" addr add 10.98.0.2/24 dev eth0; ip -n "$P-r" addr add 10.98.0.1/24 dev ethc
ip -n "$P-c" link set eth0 up; ip -n "$P-r" link set ethc up
ip -n "$P-c" route add default via 10.98.0.1
for i in $(seq 0 $((FLOWS - 1))); do
  x=$((4 * 256 + 1 + i)); echo "addr add 10.98.$((x / 256)).$((x % 256))/32 dev eth0"
done | ip -n "$P-c" -batch -
ip -n "$P-r" route add 10.98.4.0/22 via 10.98.0.2
ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1 \
  net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip -n "$P-r" link add br0 type bridge; ip -n "$P-r" addr add 10.99.0.1/24 dev br0; ip -n "$P-r" link set br0 up
lan() { # $1 = namespace suffix, $2 = address
  ip link add "$P-x$1" type veth peer name "$P-y$1"
  ip link set "$P-x$1" netns "$P-r"; ip link set "$P-y$1" netns "$P-$1"
  ip -n "$P-r" link set "$P-x$1" master br0 up
  ip -n "$P-$1" link set "$P-y$1" name eth0; ip -n "$P-$1" addr add "$2/24" dev eth0; ip -n "$P-$1" link set eth0 up
  ip -n "$P-$1" route add default via 10.99.0.1
}
RCONF="frr defaults datacenter
router bgp 65000
 bgp router-id 10.99.0.1
 no bgp ebgp-requires-policy"
for i in 1 2 3; do
  lan "d$i" "10.99.0.$((i + 1))"
  RCONF="$RCONF
 neighbor 10.99.0.$((i + 1)) remote-as 65001
 neighbor 10.99.0.$((i + 1)) timers 1 3
 neighbor 10.99.0.$((i + 1)) timers connect 1"
done
RCONF="$RCONF
 address-family ipv4 unicast
  maximum-paths 8
 exit-address-family"
mkdir -p "$W/www"; echo ok >"$W/www/index.html"
for s in $(seq 1 $RS); do
  lan "s$s" "10.99.0.$((10 + s))"
  ip -n "$P-s$s" addr add 10.0.0.1/32 dev lo
  ip netns exec "$P-s$s" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
  # which client addresses' SYNs to :81 reached this real server
  ip netns exec "$P-s$s" nft -f - <<NFT
table inet lbkit_measure {
  set seen { type ipv4_addr; size 65535; }
  chain pre { type filter hook prerouting priority -300; policy accept;
    ip daddr 10.0.0.1 tcp dport 81 tcp flags syn add @seen { ip saddr }
  }
}
NFT
  ip netns exec "$P-s$s" busybox httpd -f -p 80 -h "$W/www" >"$W/s$s.httpd" 2>&1 &
  PIDS+=($!)
done
mkdir -p "$W/r"; chown frr:frr "$W/r"; printf '%s\n' "$RCONF" >"$W/r/frr.conf"
ip netns exec "$P-r" /usr/lib/frr/zebra -u frr -g frr -z "$W/r/zserv.api" --vty_socket "$W/r" -i "$W/r/zebra.pid" \
  -f "$W/r/frr.conf" --log "file:$W/r/zebra.log" >"$W/r/zebra.out" 2>&1 &
PIDS+=($!)
for i in $(seq 1 100); do [ -S "$W/r/zserv.api" ] && break; sleep 0.1; done
ip netns exec "$P-r" /usr/lib/frr/bgpd -S -z "$W/r/zserv.api" --vty_socket "$W/r" -i "$W/r/bgpd.pid" \
  -f "$W/r/frr.conf" --log "file:$W/r/bgpd.log" >"$W/r/bgpd.out" 2>&1 &
PIDS+=($!)
conf() { # $1 = real servers of :81
  for port in 80 81; do
    printf 'virtual_server 10.0.0.1 %s {\n  lvs_sched mh\n  lvs_method DR\n  protocol TCP\n' "$port"
    n=$RS; [ "$port" = 81 ] && n=$1
    for s in $(seq 1 "$n"); do printf '  real_server 10.99.0.%s %s {\n    weight 1\n  }\n' $((10 + s)) "$port"; done
    printf '}\n'
  done
}
conf $RS >"$W/a.conf"
java -jar "$JAR" put --etcd "$E" --key /lbkit/faults "$W/a.conf"
# the router's route changes of the VIP, from before the first announcement (positive control below)
ip -n "$P-r" monitor route >"$W/r/routes" 2>&1 &
PIDS+=($!)
for i in 1 2 3; do
  mkdir -p "$W/d$i"
  printf 'frr defaults datacenter\nrouter bgp 65001\n bgp router-id 10.99.0.%s\n no bgp ebgp-requires-policy\n no bgp network import-check\n neighbor 10.99.0.1 remote-as 65000\n neighbor 10.99.0.1 timers 1 3\n neighbor 10.99.0.1 timers connect 1\n' \
    "$((i + 1))" >"$W/d$i/frr.conf"
  ip netns exec "$P-d$i" /usr/lib/frr/bgpd -S -Z --vty_socket "$W/d$i" -i "$W/d$i/bgpd.pid" -f "$W/d$i/frr.conf" \
    --log "file:$W/d$i/bgpd.log" >"$W/d$i/bgpd.out" 2>&1 &
  PIDS+=($!)
  java -Xmx256m -jar "$JAR" run --etcd "$E" --key /lbkit/faults --name "d$i" --netns "$P-d$i" --dataplane nftables \
    --bgp frr --vtysh "ip netns exec $P-d$i vtysh --vty_socket $W/d$i" --asn 65001 >"$W/d$i/run.out" 2>&1 &
  PIDS+=($!)
done
routes() { grep -c '10\.0\.0\.1' "$W/r/routes" || true; }
vias() { ip -n "$P-r" route show 10.0.0.1/32 | grep -c 'via 10.99' || true; }
for i in $(seq 1 300); do [ "$(vias)" = 3 ] && break; sleep 0.2; done
ip -n "$P-r" route show 10.0.0.1/32
[ "$(vias)" = 3 ] || { echo "no 3-way ECMP route"; for d in 1 2 3; do tail -n 5 "$W/d$d/run.out"; done; ip netns exec "$P-r" vtysh --vty_socket "$W/r" -c "show bgp summary" || true; exit 1; }
ip netns exec "$P-d1" nft list table netdev lbkit | grep -E 'chain svc|jhash|fwd' | head -4
ip netns exec "$P-c" curl -sf -m 2 -o /dev/null http://10.0.0.1/ || { echo "no answer through the VIP"; exit 1; }

# 1. etcd outage under traffic
for i in 1 2 3; do
  ip netns exec "$P-d$i" nft monitor >"$W/d$i/monitor" 2>&1 &
  PIDS+=($!)
done
sleep 1
echo "positive control: ip monitor route saw $(routes) route changes of the VIP while the 3 directors announced it"
applied() { cat "$W"/d?/run.out | grep -oE 'FLEET applied [0-9]+' | sort -u | wc -l; } # revisions applied
writes() { cat "$W"/d?/monitor | grep -c . || true; }
ip netns exec "$P-c" java lb-bench/scripts/FleetRequests.java 10.0.0.1 80 $((BEFORE + OUTAGE + AFTER)) $INTERVAL >"$W/req" 2>&1 &
REQ=$!; PIDS+=($REQ)
sleep "$BEFORE"
w0=$(writes); r0=$(routes); a0=$(applied); t_stop=$(date +%s%3N)
kill "$ETCD"; wait "$ETCD" 2>/dev/null || true
sleep "$OUTAGE"
w1=$(writes); r1=$(routes); a1=$(applied); t_start=$(date +%s%3N)
start_etcd
for i in $(seq 1 $((AFTER * 10 + 300))); do kill -0 "$REQ" 2>/dev/null || break; sleep 0.1; done
w2=$(writes); r2=$(routes); a2=$(applied)
tail -n 1 "$W/req"
fails() { awk -v a="$1" -v b="$2" '$1 == "REQ" && $2 >= a && $2 < b && $3 == "fail"' "$W/req" | wc -l; }
total() { awk -v a="$1" -v b="$2" '$1 == "REQ" && $2 >= a && $2 < b' "$W/req" | wc -l; }
echo "ETCD-OUTAGE ${OUTAGE}s (one GET every ${INTERVAL} ms through the VIP; 3 directors, 10 real servers):" \
  "failed requests before=$(fails 0 "$t_stop")/$(total 0 "$t_stop") during=$(fails "$t_stop" "$t_start")/$(total "$t_stop" "$t_start")" \
  "after=$(fails "$t_start" 99999999999999)/$(total "$t_start" 99999999999999);" \
  "nf_tables writes during=$((w1 - w0)) after=$((w2 - w1)); VIP route changes on the router during=$((r1 - r0)) after=$((r2 - r1));" \
  "new revisions applied during=$((a1 - a0)) after=$((a2 - a1)) (goal 0 / 0 / 0)"
ip -n "$P-r" route show 10.0.0.1/32
[ $((w2 - w0)) = 0 ] || { echo "nf_tables events:"; cat "$W"/d?/monitor | head -20; }
[ $((r2 - r0)) = 0 ] || { echo "route events:"; grep '10\.0\.0\.1' "$W/r/routes" | head -20; }
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
rev=$(conf $((RS - 1)) | etcdctl --endpoints "$E" put /lbkit/faults -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
for i in $(seq 1 300); do # 30 s at most
  n=0; for d in 1 2 3; do grep -q "FLEET applied $rev " "$W/d$d/run.out" && n=$((n + 1)); done
  [ $n = 3 ] && break; sleep 0.1
done
[ $n = 3 ] || { echo "revision $rev not applied on all 3 directors within 30 s"; exit 1; }
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

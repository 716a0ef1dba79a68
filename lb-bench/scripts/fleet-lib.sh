#!/usr/bin/env bash
# Sourced by fleet-faults.sh and fleet-kill.sh (issue 14): the fleet topology in network namespaces of the
# calling script's own, direct routing:
#   client 10.98.0.2 (+ CLIENTS addresses 10.98.4.1..) -- 10.98.0.1 router (FRR zebra+bgpd+bfdd, ECMP
#   maximum-paths 8, fib_multipath_hash_policy=1), bridge br0 10.99.0.1 -- directors d1-d3 10.99.0.2-4
#   (`lbctl run --etcd ... --dataplane nftables --bgp frr`, each with its own zebra+bgpd+bfdd; table netdev
#   lbkit, mh) and 10 real servers 10.99.0.11-20 (VIP on lo, arp_ignore) that answer the client directly.
# BGP: eBGP 65001 (directors) -> 65000 (router), timers 1 3, and BFD on every session (profile "fast":
#   BFD_MS transmit/receive x 3), so a dead director's routes go in about 3 x BFD_MS.
# Services on the VIP 10.0.0.1, all mh over the 10 real servers: :80 busybox httpd (requests), :81 (flows;
#   each real server records the client addresses whose SYN it received: nft set inet lbkit_measure seen),
#   :82 a TCP echo server (python3; long-lived connections).
# Each director's namespace also records the client addresses whose packets to :82 it received
#   (set netdev lbkit_measure seen82, on eth0's ingress before lbkit's chain) and counts the packets to the VIP
#   in frames for another MAC (comment "foreign"); each real server counts the
#   resets it sends from :82 (chain inet lbkit_measure out).
# The caller sets P (namespace prefix), W (work dir, mode 755), KEY (etcd key) and CLIENTS, defines
# cleanup-safe PIDS=() and calls fleet_setup. After it: E (etcd URL), ETCD (its pid), D_PIDS[i] = "lbctl bgpd
# bfdd zebra" pids of director i, conf N (a config with N real servers on :81), LBCTL_MAIN, RS, NS.
RS=10; NS="r c d1 d2 d3 $(seq -f 's%g' 1 $RS | tr '\n' ' ')"
BFD_MS=${BFD_MS:-200} # no flap on a quiet host (FleetKillNetnsTest uses 200 too); 100-300 ms flapped at load 35-48
declare -a D_PIDS
fleet_require() {
  [ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
  for p in etcd etcdctl nft busybox python3 /usr/lib/frr/bgpd /usr/lib/frr/bfdd /usr/lib/frr/zebra vtysh java; do
    command -v "$p" >/dev/null || { echo "needs $p (.ci/run installs it)" >&2; exit 2; }
  done
  lbctl_main
}
# LBCTL_MAIN: how java starts lbctl: FLEET_CP (a class path, e.g. a test's) with the main class, else the jar
lbctl_main() {
  if [ -n "${FLEET_CP:-}" ]; then
    LBCTL_MAIN="-cp $FLEET_CP io.lbkit.cli.Lbctl"
  else
    [ -f lb-cli/target/lbctl.jar ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
    JAR=${FLEET_JAR:-$PWD/lb-cli/target/lbctl.jar}
    LBCTL_MAIN="-jar $JAR"
  fi
}
fleet_cleanup() { # newest first: lbctl runs withdraw and deregister while bgpd and etcd still run
  for ((k = ${#PIDS[@]} - 1; k >= 0; k--)); do
    p=${PIDS[$k]}; kill "$p" 2>/dev/null || continue
    for t in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  for n in $NS; do ip netns del "$P-$n" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "kept $W"; else rm -rf "$W"; fi
}
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || shuf -i 20000-60000 -n 1; }
start_etcd() {
  etcd --name m --data-dir "$W/etcd" --listen-client-urls "$E" --advertise-client-urls "$E" \
    --listen-peer-urls "http://127.0.0.1:$PP" --initial-advertise-peer-urls "http://127.0.0.1:$PP" \
    --initial-cluster "m=http://127.0.0.1:$PP" >>"$W/etcd.log" 2>&1 &
  ETCD=$!; PIDS+=($ETCD)
  for i in $(seq 1 300); do curl -sf "$E/health" >/dev/null 2>&1 && break; sleep 0.2; done # 60 s (a loaded host)
  curl -sf "$E/health" >/dev/null || { echo "etcd did not start"; tail "$W/etcd.log"; exit 1; }
}
# FRR in namespace $1 with directory $2 and bgpd config $3: zebra (as frr), bgpd and bfdd, each with its own
# config file, sockets and pid file in $2; their pids in FRR_PIDS ("bgpd bfdd zebra").
start_frr() {
  local ns=$1 d=$2 zp bp fp i
  mkdir -p "$d"; chown frr:frr "$d"
  printf 'frr defaults datacenter\n' >"$d/zebra.conf"
  printf '%s\n' "$3" >"$d/bgpd.conf"
  printf 'frr defaults datacenter\nbfd\n profile fast\n  transmit-interval %s\n  receive-interval %s\n  detect-multiplier 3\n exit\nexit\ndebug bfd peer\n' \
    "$BFD_MS" "$BFD_MS" >"$d/bfdd.conf"
  ip netns exec "$ns" /usr/lib/frr/zebra -u frr -g frr -z "$d/zserv.api" --vty_socket "$d" -i "$d/zebra.pid" \
    -f "$d/zebra.conf" --log "file:$d/zebra.log" >"$d/zebra.out" 2>&1 &
  zp=$!; PIDS+=($zp)
  for i in $(seq 1 300); do [ -S "$d/zserv.api" ] && break; sleep 0.1; done
  [ -S "$d/zserv.api" ] || { echo "zebra did not start in $ns"; cat "$d/zebra.out"; exit 1; }
  ip netns exec "$ns" /usr/lib/frr/bfdd -u frr -g frr -z "$d/zserv.api" --vty_socket "$d" -i "$d/bfdd.pid" \
    --bfdctl "$d/bfdd.sock" -f "$d/bfdd.conf" --log "file:$d/bfdd.log" >"$d/bfdd.out" 2>&1 &
  fp=$!; PIDS+=($fp)
  ip netns exec "$ns" /usr/lib/frr/bgpd -S -z "$d/zserv.api" --vty_socket "$d" -i "$d/bgpd.pid" \
    -f "$d/bgpd.conf" --log "file:$d/bgpd.log" >"$d/bgpd.out" 2>&1 &
  bp=$!; PIDS+=($bp)
  FRR_PIDS="$bp $fp $zp"
}
conf() { # $1 = real servers of :81
  for port in 80 81 82; do
    printf 'virtual_server 10.0.0.1 %s {\n  lvs_sched mh\n  lvs_method DR\n  protocol TCP\n' "$port"
    n=$RS; [ "$port" = 81 ] && n=$1
    for s in $(seq 1 "$n"); do printf '  real_server 10.99.0.%s %s {\n    weight 1\n  }\n' $((10 + s)) "$port"; done
    printf '}\n'
  done
}
vias() { ip -n "$P-r" route show 10.0.0.1/32 | grep -c 'via 10.99' || true; }
fleet_setup() {
  echo "machine: $(nproc) CPUs; $(uptime)"
  CP=$(free_port); PP=$(free_port)
  E=http://127.0.0.1:$CP
  start_etcd
  for n in $NS; do ip netns add "$P-$n"; ip -n "$P-$n" link set lo up; done
  ip link add "$P-c0" type veth peer name "$P-rc"
  ip link set "$P-c0" netns "$P-c"; ip link set "$P-rc" netns "$P-r"
  ip -n "$P-c" link set "$P-c0" name eth0; ip -n "$P-r" link set "$P-rc" name ethc
  ip -n "$P-c" addr add 10.98.0.2/24 dev eth0; ip -n "$P-r" addr add 10.98.0.1/24 dev ethc
  ip -n "$P-c" link set eth0 up; ip -n "$P-r" link set ethc up
  ip -n "$P-c" route add default via 10.98.0.1
  for i in $(seq 0 $((CLIENTS - 1))); do
    x=$((4 * 256 + 1 + i)); echo "addr add 10.98.$((x / 256)).$((x % 256))/32 dev eth0"
  done | ip -n "$P-c" -batch -
  ip -n "$P-r" route add 10.98.4.0/22 via 10.98.0.2
  ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  ip -n "$P-r" link add br0 type bridge; ip -n "$P-r" addr add 10.99.0.1/24 dev br0; ip -n "$P-r" link set br0 up
  local i rconf="router bgp 65000
 bgp router-id 10.99.0.1
 no bgp ebgp-requires-policy"
  for i in 1 2 3; do
    fleet_lan "d$i" "10.99.0.$((i + 1))"
    rconf="$rconf
 neighbor 10.99.0.$((i + 1)) remote-as 65001
 neighbor 10.99.0.$((i + 1)) timers 1 3
 neighbor 10.99.0.$((i + 1)) timers connect 1
 neighbor 10.99.0.$((i + 1)) bfd
 neighbor 10.99.0.$((i + 1)) bfd profile fast"
    # which client addresses' packets to :82 reached this director (before lbkit's ingress chain, priority 0),
    # and how many packets to the VIP arrived in frames addressed to another host's MAC (flooded by the bridge)
    ip netns exec "$P-d$i" nft -f - <<NFT
table netdev lbkit_measure {
  set seen82 { type ipv4_addr; size 65535; flags dynamic; }
  chain in { type filter hook ingress device eth0 priority -100; policy accept;
    ip daddr 10.0.0.1 tcp dport 82 add @seen82 { ip saddr }
    ether daddr != $(ip netns exec "$P-d$i" cat /sys/class/net/eth0/address) ip daddr 10.0.0.1 counter comment "foreign"
  }
}
NFT
  done
  rconf="$rconf
 address-family ipv4 unicast
  maximum-paths 8
 exit-address-family"
  mkdir -p "$W/www"; echo ok >"$W/www/index.html"
  for s in $(seq 1 $RS); do
    fleet_lan "s$s" "10.99.0.$((10 + s))"
    ip -n "$P-s$s" addr add 10.0.0.1/32 dev lo
    ip netns exec "$P-s$s" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
      net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
    ip netns exec "$P-s$s" nft -f - <<NFT
table inet lbkit_measure {
  set seen { type ipv4_addr; size 65535; }
  chain pre { type filter hook prerouting priority -300; policy accept;
    ip daddr 10.0.0.1 tcp dport 81 tcp flags syn add @seen { ip saddr }
  }
  chain out { type filter hook output priority -300; policy accept;
    tcp sport 82 tcp flags rst counter
  }
}
NFT
    ip netns exec "$P-s$s" busybox httpd -f -p 80 -h "$W/www" >"$W/s$s.httpd" 2>&1 &
    PIDS+=($!)
    ip netns exec "$P-s$s" python3 -c '
import socketserver as s
class H(s.BaseRequestHandler):
    def handle(self):
        while True:
            d = self.request.recv(4096)
            if not d: return
            self.request.sendall(d)
s.ThreadingTCPServer.allow_reuse_address = True
s.ThreadingTCPServer.daemon_threads = True
s.ThreadingTCPServer.request_queue_size = 512
s.ThreadingTCPServer(("0.0.0.0", 82), H).serve_forever()' >"$W/s$s.echo" 2>&1 &
    PIDS+=($!)
  done
  start_frr "$P-r" "$W/r" "$rconf"
  conf $RS >"$W/a.conf"
  # 3 tries: a just-started etcd on a loaded host (load 33) missed lbctl put's 10 s deadline
  java $LBCTL_MAIN put --etcd "$E" --key "$KEY" "$W/a.conf" || java $LBCTL_MAIN put --etcd "$E" --key "$KEY" "$W/a.conf" \
    || java $LBCTL_MAIN put --etcd "$E" --key "$KEY" "$W/a.conf"
  # the router's route changes of the VIP, from before the first announcement
  ip -n "$P-r" monitor route >"$W/r/routes" 2>&1 &
  PIDS+=($!)
  for i in 1 2 3; do
    start_frr "$P-d$i" "$W/d$i" "$(printf 'router bgp 65001\n bgp router-id 10.99.0.%s\n no bgp ebgp-requires-policy\n no bgp network import-check\n neighbor 10.99.0.1 remote-as 65000\n neighbor 10.99.0.1 timers 1 3\n neighbor 10.99.0.1 timers connect 1\n neighbor 10.99.0.1 bfd\n neighbor 10.99.0.1 bfd profile fast\n' "$((i + 1))")"
    java -Xmx256m $LBCTL_MAIN run --etcd "$E" --key "$KEY" --name "d$i" --netns "$P-d$i" --dataplane nftables \
      --bgp frr --vtysh "ip netns exec $P-d$i vtysh --vty_socket $W/d$i" --asn 65001 >"$W/d$i/run.out" 2>&1 &
    PIDS+=($!)
    D_PIDS[$i]="$! $FRR_PIDS"
    # one director JVM start at a time (three at once starve each other on a loaded 2-core host)
    for k in $(seq 1 1200); do grep -q 'FLEET applied' "$W/d$i/run.out" && break; kill -0 "$!" 2>/dev/null || break; sleep 0.1; done
  done
  for i in $(seq 1 600); do [ "$(vias)" = 3 ] && break; sleep 0.2; done # 120 s at most
  ip -n "$P-r" route show 10.0.0.1/32
  [ "$(vias)" = 3 ] || { echo "no 3-way ECMP route"; for d in 1 2 3; do tail -n 5 "$W/d$d/run.out"; done; ip netns exec "$P-r" vtysh --vty_socket "$W/r" -c "show bgp summary" || true; exit 1; }
  for i in $(seq 1 600); do [ "$(bfd_up)" = 3 ] && break; sleep 0.1; done # 60 s at most
  echo "BFD sessions up on the router: $(bfd_up) of 3 (profile fast: ${BFD_MS} ms x 3)"
  [ "$(bfd_up)" = 3 ] || { ip netns exec "$P-r" vtysh --vty_socket "$W/r" -c "show bfd peers brief" || true; exit 1; }
  ip netns exec "$P-d1" nft list table netdev lbkit | grep -E 'chain svc|jhash|fwd' | head -4
  for i in $(seq 1 20); do ip netns exec "$P-c" curl -sf -m 5 -o /dev/null http://10.0.0.1/ && break; sleep 0.5; done
  ip netns exec "$P-c" curl -sf -m 5 -o /dev/null http://10.0.0.1/ || { echo "no answer through the VIP"; exit 1; }
}
bfd_up() { ip netns exec "$P-r" vtysh --vty_socket "$W/r" -c "show bfd peers brief" 2>/dev/null | grep -c ' up ' || true; }
fleet_lan() { # $1 = namespace suffix, $2 = address
  ip link add "$P-x$1" type veth peer name "$P-y$1"
  ip link set "$P-x$1" netns "$P-r"; ip link set "$P-y$1" netns "$P-$1"
  ip -n "$P-r" link set "$P-x$1" master br0 up
  ip -n "$P-$1" link set "$P-y$1" name eth0; ip -n "$P-$1" addr add "$2/24" dev eth0; ip -n "$P-$1" link set eth0 up
  ip -n "$P-$1" route add default via 10.99.0.1
}

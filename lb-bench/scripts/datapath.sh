#!/usr/bin/env bash
# Datapath through the VIP, nftables against IPVS, in ONE kernel-VM boot: requests/s of
# short HTTP/1.0 requests (one new TCP connection each) from a client namespace to a VIP
# whose director namespace was programmed by `lbctl apply --dataplane ipvs|nftables` from
# the same keepalived.conf (rr over 2 real servers), for NAT and for DR, and as a control
# both real servers reached directly (no VIP, no director; half the connections each). Cases are interleaved,
# ROUNDS rounds, a fresh topology per case. TCG emulation and namespaces sharing 2 vCPUs:
# the absolute figures are rough, the ratios are the point.
#
#   client 10.0.0.10   director 10.0.0.1 (+10.0.2.1 for NAT), VIP 10.0.0.100:80
#   rs1/rs2: DR  10.0.0.61/.62, VIP on lo, arp_ignore=1 arp_announce=2 (one-armed LVS-DR)
#            NAT 10.0.2.61/.62, default route via the director (10.0.2.1)
#   all on one bridge (dpb-br0); the director has ip_forward=1 and send_redirects=0.
#
# Each case is checked: both real servers answered (per-server counts from the bodies),
# no errors, and the dataplane is the one asked for (IPVS: ipvsadm lists the service and
# no lbkit table exists; nftables: the table inet lbkit (NAT) / netdev lbkit (DR) exists
# and ipvsadm lists no service). A failed check fails the script.
# Build on the host first, then (from the project root):
#   mvn -o -B -q -pl lb-cli -am package -DskipTests
#   tools/kernel-vm/vm-run --timeout 1500 -- bash lb-bench/scripts/datapath.sh [SECONDS=10 [ROUNDS=2 [CONC=4]]]
set -euo pipefail
secs=${1:-10}; rounds=${2:-2}; conc=${3:-4}
cd "$(dirname "$0")/../.."
[ -e /proc/net/ip_vs ] || { echo "datapath: no IPVS here; run inside tools/kernel-vm/vm-run" >&2; exit 125; }
jar=lb-cli/target/lbctl.jar
[ -f "$jar" ] || { echo "datapath: $jar missing; mvn -o -B -q -pl lb-cli -am package -DskipTests" >&2; exit 125; }
out=$(mktemp -d /tmp/datapath.XXXXXX)
nss="dpb-cl dpb-dir dpb-rs1 dpb-rs2"
down() {
  for ns in $nss; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; done
  for ns in $nss; do ip netns del "$ns" 2>/dev/null || true; ip link del "${ns}-v" 2>/dev/null || true; done
  ip link del dpb-br0 2>/dev/null || true
  local i
  for i in $(seq 100); do ip -o link show | grep -q ' dpb-' || return 0; sleep 0.1; done
  echo "datapath: dpb-* links still present after 10 s" >&2; return 1
}
trap 'down; rm -rf "$out"' EXIT
gcc -O2 -o "$out/dpload" lb-bench/scripts/dpload.c

conf() { # mode -> keepalived.conf
  local kind=$1 net=0; [ "$kind" = NAT ] && net=2
  cat > "$out/$kind.conf" <<CONF
virtual_server 10.0.0.100 80 {
    delay_loop 60
    lb_algo rr
    lb_kind $kind
    protocol TCP
    real_server 10.0.$net.61 80 {
        weight 1
    }
    real_server 10.0.$net.62 80 {
        weight 1
    }
}
CONF
}
conf NAT; conf DR

up() { # NAT|DR
  local mode=$1
  down
  ip link add dpb-br0 type bridge; ip link set dpb-br0 up
  for ns in $nss; do
    ip netns add "$ns"
    ip link add "${ns}-v" type veth peer name eth0 netns "$ns"
    ip link set "${ns}-v" master dpb-br0 up
    ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up
  done
  ip -n dpb-cl addr add 10.0.0.10/24 dev eth0
  ip -n dpb-dir addr add 10.0.0.1/24 dev eth0
  ip -n dpb-dir addr add 10.0.2.1/24 dev eth0
  ip -n dpb-dir addr add 10.0.0.100/32 dev eth0
  ip netns exec dpb-dir sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
  ip netns exec dpb-cl sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
  local i
  for i in 1 2; do
    local ns=dpb-rs$i
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
      net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 net.ipv4.conf.all.accept_redirects=0
    if [ "$mode" = NAT ]; then
      ip -n "$ns" addr add "10.0.2.6$i/24" dev eth0
      ip -n "$ns" route add default via 10.0.2.1
    else
      ip -n "$ns" addr add "10.0.0.6$i/24" dev eth0
      ip -n "$ns" addr add 10.0.0.100/32 dev lo
    fi
    (ip netns exec "$ns" "$out/dpload" serve 80 "rs$i" $((secs + 1800)) 2>/dev/null &)  # not our job: no "Killed" noise
  done
}

apply() { # NAT|DR ipvs|nftables
  ip netns exec dpb-dir java -XX:TieredStopAtLevel=1 -jar "$jar" apply "$out/$1.conf" --netns dpb-dir --dataplane "$2" > "$out/apply.log" 2>&1 \
    || { echo "datapath: lbctl apply $1 --dataplane $2 failed:"; sed 's/^/  | /' "$out/apply.log"; return 1; }
}

verify_dataplane() { # ipvs|nftables NAT|DR
  local svc ntab
  svc=$(ip netns exec dpb-dir ipvsadm -L -n | grep -c '^TCP  10.0.0.100:80' || true)
  ntab=$(ip netns exec dpb-dir nft list tables 2>/dev/null | grep -c 'lbkit' || true)
  if [ "$1" = ipvs ]; then
    [ "$svc" = 1 ] && [ "$ntab" = 0 ] || { echo "datapath: ipvs case: ipvsadm services=$svc lbkit tables=$ntab"; return 1; }
  else
    local fam=inet; [ "$2" = DR ] && fam=netdev
    ip netns exec dpb-dir nft list table $fam lbkit > /dev/null && [ "$svc" = 0 ] \
      || { echo "datapath: nftables case: table $fam lbkit missing or ipvsadm services=$svc"; return 1; }
  fi
}

run_case() { # round name
  local r=$1 name=$2 mode dp addr=10.0.0.100 extra=""
  case "$name" in
    direct) mode=DR; addr=10.0.0.61;;
    ipvs-*) mode=${name#ipvs-}; dp=ipvs;;
    nft-*) mode=${name#nft-}; dp=nftables;;
  esac
  up "$mode"
  [ -n "${dp:-}" ] && { apply "$mode" "$dp"; verify_dataplane "$dp" "$mode"; }
  sleep 0.5
  ip netns exec dpb-cl "$out/dpload" get "$addr" 80 1 "$conc" > /dev/null || true  # warm-up: ARP, code paths
  if [ "$name" = direct ]; then  # both real servers at once, half the connections each: the same servers' work as via the VIP
    ip netns exec dpb-cl "$out/dpload" get 10.0.0.61 80 "$secs" $(((conc + 1) / 2)) > "$out/d1" &
    ip netns exec dpb-cl "$out/dpload" get 10.0.0.62 80 "$secs" $(((conc + 1) / 2)) > "$out/d2"
    wait $!
    cat "$out/d1" "$out/d2" | awk '$1 == "requests" { n += $2; s = $4; rps += $6; e += $8 } $1 == "server" { print }
      END { printf "requests %d seconds %s rps %.0f errors %d\n", n, s, rps, e }' > "$out/$name.$r"
  else
    ip netns exec dpb-cl "$out/dpload" get "$addr" 80 "$secs" "$conc" > "$out/$name.$r"
  fi
  if [ "${dp:-}" = ipvs ]; then
    extra=" ipvs_conns=$(ip netns exec dpb-dir ipvsadm -L -n --stats | awk '$1 == "TCP" { print $3 }')"
  fi
  [ -n "${dp:-}" ] && verify_dataplane "$dp" "$mode"
  local rps errs n1 n2
  rps=$(awk '$1 == "requests" { print $6 }' "$out/$name.$r")
  errs=$(awk '$1 == "requests" { print $8 }' "$out/$name.$r")
  n1=$(awk '$1 == "server" && $2 == "rs1" { print $3 }' "$out/$name.$r"); n2=$(awk '$1 == "server" && $2 == "rs2" { print $3 }' "$out/$name.$r")
  echo "round $r $name: rps=$rps errors=$errs rs1=${n1:-0} rs2=${n2:-0}$extra"
  [ "${n1:-0}" -gt 0 ] && [ "${n2:-0}" -gt 0 ] || { echo "datapath: $name: not both real servers answered"; return 1; }
  [ "$errs" = 0 ] || echo "datapath: $name: $errs errors (kept, see above)"
  down
}

cases="direct ipvs-NAT nft-NAT ipvs-DR nft-DR"
echo "datapath: $secs s per case, $conc parallel connections, $rounds rounds, kernel $(uname -r), $(nproc) vCPUs"
for r in $(seq "$rounds"); do
  for c in $cases; do run_case "$r" "$c"; done
done
median() { # name
  cat "$out/$1".* | awk '$1 == "requests" { print $6 }' | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
printf '%-10s %14s\n' "case" "median req/s"
for c in $cases; do printf '%-10s %14s\n' "$c" "$(median "$c")"; done
for m in NAT DR; do
  awk -v m="$m" -v i="$(median "ipvs-$m")" -v n="$(median "nft-$m")" 'BEGIN { printf "nftables/IPVS %s: %.2f\n", m, n / i }'
done

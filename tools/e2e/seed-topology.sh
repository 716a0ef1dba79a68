#!/usr/bin/env bash
# The seed's LVS-DR topology (scenario: examples/README.md): a client, two directors and two real
# servers on one bridge, each in its own network namespace. Run it only inside the
# kernel VM (tools/kernel-vm/vm-run): it needs IPVS, and it creates a bridge.
#
#   client 192.168.0.10   dir1 192.168.0.51   dir2 192.168.0.52
#   rs1    192.168.0.61   rs2  192.168.0.62   VIP  192.168.0.200 (held by VRRP)
#
# usage: seed-topology.sh up WORKDIR | down
# "up" starts busybox httpd on both real servers serving /test.html with the
# server's name (as in the blog: shizune / tenten) and prepares them for DR: the VIP on
# lo with arp_ignore=1 / arp_announce=2, so they accept the VIP's packets but never
# answer ARP for it (the seed used an iptables REDIRECT rule for the same effect).
set -euo pipefail
[ -e /proc/net/ip_vs ] || { echo "seed-topology: no IPVS here; run inside tools/kernel-vm/vm-run" >&2; exit 125; }
hosts="client:10 dir1:51 dir2:52 rs1:61 rs2:62"

down() {
  for h in $hosts; do ip netns pids "lbe-${h%%:*}" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; done
  for h in $hosts; do ip netns del "lbe-${h%%:*}" 2>/dev/null || true; done
  # The kernel destroys a deleted namespace (and so our veth ends) asynchronously: delete
  # the host ends ourselves and wait, bounded, until none is left, or the next "up" can
  # fail with "File exists".
  for h in $hosts; do ip link del "lbe-${h%%:*}" 2>/dev/null || true; done
  ip link del lbe-br0 2>/dev/null || true
  local i
  for i in $(seq 100); do
    ip -o link show | grep ' lbe-' >/dev/null || return 0
    sleep 0.1
  done
  echo "seed-topology: lbe-* links still present after 10 s:" >&2
  ip -o link show | grep ' lbe-' >&2 || true
}

up() {
  local work=$1
  down
  mkdir -p "$work"
  ip link add lbe-br0 type bridge
  ip link set lbe-br0 up
  for h in $hosts; do
    local name=${h%%:*} octet=${h#*:} ns="lbe-${h%%:*}"
    ip netns add "$ns"
    ip link add "lbe-$name" type veth peer name eth0 netns "$ns"
    ip link set "lbe-$name" master lbe-br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "192.168.0.$octet/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
  for rs in rs1:shizune rs2:tenten; do
    local name=${rs%%:*} label=${rs#*:} ns="lbe-${rs%%:*}"
    mkdir -p "$work/$name"
    printf '<html> <body> %s webserv </body> </html>\n' "$label" > "$work/$name/test.html"
    ip -n "$ns" addr add 192.168.0.200/32 dev lo
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
      net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    ip netns exec "$ns" busybox httpd -p 80 -h "$work/$name"
  done
}

case "${1:-}" in
  up) up "${2:?usage: seed-topology.sh up WORKDIR}" ;;
  down) down ;;
  *) echo "usage: seed-topology.sh up WORKDIR | down" >&2; exit 2 ;;
esac

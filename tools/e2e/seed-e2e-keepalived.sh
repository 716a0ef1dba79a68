#!/usr/bin/env bash
# The seed scenario end to end with keepalived on both directors: the anchor that
# lbkit's own run (lbctl run) is compared with. Inside the kernel VM only:
#   tools/kernel-vm/vm-run -- tools/e2e/seed-e2e-keepalived.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=e2e-lib.sh
. "$here/e2e-lib.sh"
work=$(mktemp -d /tmp/lbe.XXXXXX)
trap '"$here/seed-topology.sh" down; rm -rf "$work"' EXIT
"$here/seed-topology.sh" up "$work"

start_director() { # name priority
  sed -e "s/__PRIORITY__/$2/" -e "s/__IFACE__/eth0/" "$here/seed-keepalived.conf" > "$work/$1.conf"
  ip netns exec "lbe-$1" keepalived -n -l -D -f "$work/$1.conf" -p "$work/$1.pid" -r "$work/$1.vrrp.pid" \
    -c "$work/$1.chk.pid" > "$work/$1.log" 2>&1 &
}

start_director dir1 101
start_director dir2 100
wait_for "a master holding the VIP" 20 bash -c "ip -n lbe-dir1 -o addr | grep 192.168.0.200/32 >/dev/null || ip -n lbe-dir2 -o addr | grep 192.168.0.200/32 >/dev/null"
master=dir1; vip_on dir1 || master=dir2
echo "master: $master"
wait_for "both real servers in IPVS" 20 bash -c "[ \$(ip netns exec lbe-$master ipvsadm -L -n | grep -c 'Route   1') = 2 ]"
echo "# ipvsadm -L -n (on $master)"
ip netns exec "lbe-$master" ipvsadm -L -n
echo "# 10 requests from the client"
for i in $(seq 10); do
  ip netns exec lbe-client curl -s --max-time 2 http://192.168.0.200/test.html || echo "request $i FAILED"
done

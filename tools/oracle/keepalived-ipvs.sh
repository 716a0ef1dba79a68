#!/bin/bash
# The keepalived half of the IPVS oracle (io.lbkit.cli.oracle.IpvsOracleKernelTest).
#
#   keepalived-ipvs.sh WORKDIR
#
# WORKDIR/plan holds one line per configuration: NAME NETNS SERVICES DESTS (NAME is a
# file in WORKDIR). For each, in parallel: create network namespace NETNS, start
# keepalived's checker process alone (keepalived -C: IPVS without VRRP) on WORKDIR/NAME,
# wait (at most $ORACLE_WAIT seconds, default 150) until `ipvsadm -S -n` shows SERVICES
# services and DESTS real servers (or the table has not changed for 10 s), write the
# table to WORKDIR/NAME.keepalived (or WORKDIR/NAME.exited with keepalived's output if it
# exited), stop keepalived and flush IPVS. The namespaces are left for the caller's
# lbctl apply; the caller deletes them. Every process started here is stopped here.
set -u
work=$1
wait_max=${ORACLE_WAIT:-150}
export PATH=$PATH:/usr/sbin:/sbin
declare -A pid
while read -r name ns services dests; do
  ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "cannot create netns $ns" >&2; exit 1; }
  ip netns exec "$ns" keepalived --dont-fork --log-detail --check -f "$work/$name" -p "$work/$ns.pid" \
    -c "$work/$ns.checkers.pid" -r "$work/$ns.vrrp.pid" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
done <"$work/plan"
start=$SECONDS
while read -r name ns services dests; do
  last="" same=0
  while :; do
    t=$(ip netns exec "$ns" ipvsadm -S -n)
    if ! kill -0 "${pid[$name]}" 2>/dev/null; then
      wait "${pid[$name]}"; echo "exit $?" >"$work/$name.exited"; cat "$work/$name.log" >>"$work/$name.exited"
      break
    fi
    a=$(grep -c '^-A ' <<<"$t"); d=$(grep -c '^-a ' <<<"$t")
    [ "$t" = "$last" ] && same=$((same + 1)) || same=0
    last=$t
    if { [ "$a" = "$services" ] && [ "$d" = "$dests" ] && [ $same -ge 1 ]; } || { [ -n "$t" ] && [ $same -ge 10 ]; } \
      || [ $((SECONDS - start)) -ge "$wait_max" ]; then
      printf '%s\n' "$t" | sed '/^$/d' >"$work/$name.keepalived"
      break
    fi
    sleep 1
  done
done <"$work/plan"
for name in "${!pid[@]}"; do kill -TERM "${pid[$name]}" 2>/dev/null; done
for name in "${!pid[@]}"; do
  for _ in $(seq 1 30); do kill -0 "${pid[$name]}" 2>/dev/null || break; sleep 1; done
  kill -KILL "${pid[$name]}" 2>/dev/null
  wait "${pid[$name]}" 2>/dev/null
done
while read -r name ns services dests; do
  ip netns exec "$ns" ipvsadm -C
done <"$work/plan"
echo "keepalived-ipvs: done in $SECONDS s"

#!/usr/bin/env bash
# The seed scenario end to end on a real kernel (inside the kernel VM only):
#   tools/kernel-vm/vm-run -- tools/e2e/seed-e2e.sh [DIR1 DIR2]
# DIR1 and DIR2 are "lbkit" (lbctl run: $LBCTL, or examples/target/lbctl.jar) or "keepalived";
# the default is lbkit on both. The topology is seed-topology.sh's; the config is the
# seed's, corrected (seed-keepalived.conf). It checks: a master holds the VIP, the
# master's `ipvsadm -L -n` lists both real servers (Route, weight 1), and 10 client
# requests alternate between the two real servers. Exit 0 only if all hold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
kinds=("${1:-lbkit}" "${2:-lbkit}")
jar="$root/examples/target/lbctl.jar"
work=$(mktemp -d /tmp/lbe.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  "$here/seed-topology.sh" down
  rm -rf "$work"
}
trap cleanup EXIT
"$here/seed-topology.sh" up "$work"

start_director() { # name priority kind
  sed -e "s/__PRIORITY__/$2/" -e "s/__IFACE__/eth0/" "$here/seed-keepalived.conf" > "$work/$1.conf"
  case $3 in
    keepalived)
      ip netns exec "lbe-$1" keepalived -n -l -D -f "$work/$1.conf" -p "$work/$1.pid" -r "$work/$1.vrrp.pid" \
        -c "$work/$1.chk.pid" > "$work/$1.log" 2>&1 &
      pids+=($!) ;;
    lbkit)
      # LBCTL (e.g. "java -cp CLASSPATH io.lbkit.examples.lbctl.Lbctl", as the kernel-tier test sets it)
      # or the packaged jar
      local cmd=${LBCTL:-}
      if [ -z "$cmd" ]; then
        [ -f "$jar" ] || { echo "seed-e2e: build lbctl first (mvn -q -B package -DskipTests)" >&2; exit 125; }
        cmd="java -XX:TieredStopAtLevel=1 -jar $jar"
      fi
      # shellcheck disable=SC2086
      ip netns exec "lbe-$1" $cmd run "$work/$1.conf" --status-file "$work/$1.status.json" > "$work/$1.log" 2>&1 &
      pids+=($!) ;;
    *) echo "seed-e2e: unknown director kind $3" >&2; exit 2 ;;
  esac
}
wait_for() { # description deadline-seconds command...
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "TIMEOUT waiting for $what" >&2; return 1; }
    sleep 0.5
  done
}
vip_on() { ip -n "lbe-$1" -o addr show dev eth0 | grep '192.168.0.200/32' >/dev/null; }

echo "directors: dir1=${kinds[0]} (priority 101), dir2=${kinds[1]} (priority 100)"
start_director dir1 101 "${kinds[0]}"
start_director dir2 100 "${kinds[1]}"
ok=1
wait_for "a master holding the VIP" 240 bash -c "ip -n lbe-dir1 -o addr | grep 192.168.0.200/32 >/dev/null || ip -n lbe-dir2 -o addr | grep 192.168.0.200/32 >/dev/null" || ok=0
master=dir1; vip_on dir1 || master=dir2
echo "master: $master"
wait_for "both real servers in IPVS on $master" 120 bash -c "[ \$(ip netns exec lbe-$master ipvsadm -L -n | grep -c 'Route   1') = 2 ]" || ok=0
echo "# ipvsadm -L -n (on $master)"
ip netns exec "lbe-$master" ipvsadm -L -n
echo "# 10 requests from the client"
answers=()
for i in $(seq 10); do
  a=$(ip netns exec lbe-client curl -s --max-time 3 http://192.168.0.200/test.html || echo FAILED)
  echo "$a"; answers+=("$a")
done
for i in $(seq 1 9); do
  [ "${answers[$i]}" != "${answers[$((i - 1))]}" ] || { echo "requests $i and $((i + 1)) went to the same server" >&2; ok=0; }
done
printf '%s\n' "${answers[@]}" | grep FAILED >/dev/null && ok=0
for d in dir1 dir2; do echo "--- $d log (tail)"; tail -n 15 "$work/$d.log" || true; done
[ $ok = 1 ] && echo "SEED_E2E_OK ${kinds[*]}" || { echo "SEED_E2E_FAILED ${kinds[*]}"; exit 1; }

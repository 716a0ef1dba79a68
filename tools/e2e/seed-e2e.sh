#!/usr/bin/env bash
# The seed scenario end to end on a real kernel (inside the kernel VM only):
#   tools/kernel-vm/vm-run -- tools/e2e/seed-e2e.sh [DIR1 DIR2]
# DIR1 and DIR2 are "lbkit" (lbctl run: $LBCTL, or lb-cli/target/lbctl.jar) or "keepalived";
# the default is lbkit on both. The topology is seed-topology.sh's; the config is the
# seed's, corrected (seed-keepalived.conf). It checks: a master holds the VIP, the
# master's `ipvsadm -L -n` lists both real servers (Route, weight 1), and 10 client
# requests alternate between the two real servers. Exit 0 only if all hold.
# dir1 starts first and becomes the master (nopreempt keeps it so); dir2 starts once
# dir1 holds the VIP. With E2E_START=together both start at the same moment (dir1's
# process forked first, dir2's right after), as two directors booting together do, and
# the round measures start -> first MASTER (see start_together in e2e-phases.sh). E2E_PHASES (default "seed") adds, in the order given, the failure
# phases of e2e-phases.sh: "health" (a real server's web server dies and comes back)
# and "failover" (the master director is killed), e.g.
#   E2E_PHASES="seed health failover" tools/e2e/seed-e2e.sh lbkit keepalived
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
kinds=("${1:-lbkit}" "${2:-lbkit}")
declare -A kinds_of=([dir1]=${kinds[0]} [dir2]=${kinds[1]})
phases=${E2E_PHASES:-seed}
start_mode=${E2E_START:-staggered}
work=$(mktemp -d /tmp/lbe.XXXXXX)
# shellcheck source=e2e-lib.sh
. "$here/e2e-lib.sh"
# shellcheck source=e2e-phases.sh
. "$here/e2e-phases.sh"
WAIT_POLL_S=0.5
cleanup() {
  stop_started
  # E2E_LOG_DIR: keep the directors' logs (the phases' timing is read from them)
  if [ -n "${E2E_LOG_DIR:-}" ]; then mkdir -p "$E2E_LOG_DIR" && cp "$work"/*.log "$E2E_LOG_DIR"/ 2>/dev/null || true; fi
  "$here/seed-topology.sh" down
  rm -rf "$work"
}
trap cleanup EXIT
"$here/seed-topology.sh" up "$work"

write_conf() { # name priority
  sed -e "s/__PRIORITY__/$2/" -e "s/__IFACE__/eth0/" "$here/seed-keepalived.conf" > "$work/$1.conf"
}
start_director() { # name priority kind (writes its config unless written)
  [ -f "$work/$1.conf" ] || write_conf "$1" "$2"
  case $3 in
    keepalived)
      ip netns exec "lbe-$1" keepalived -n -l -D -f "$work/$1.conf" -p "$work/$1.pid" -r "$work/$1.vrrp.pid" \
        -c "$work/$1.chk.pid" > "$work/$1.log" 2>&1 &
      pids+=($!) ;;
    lbkit)
      [ -n "$lbctl" ] || { echo "seed-e2e: build lbctl first (mvn -q -B package -DskipTests)" >&2; exit 125; }
      # shellcheck disable=SC2086
      ip netns exec "lbe-$1" $lbctl run "$work/$1.conf" --status-file "$work/$1.status.json" \
        --control "$work/$1.sock" > "$work/$1.log" 2>&1 &
      pids+=($!) ;;
    *) echo "seed-e2e: unknown director kind $3" >&2; exit 2 ;;
  esac
}

echo "directors: dir1=${kinds[0]} (priority 101), dir2=${kinds[1]} (priority 100); phases: $phases; start: $start_mode"
t_start=$SECONDS
ok=1
if [ "$start_mode" = together ]; then
  start_together || ok=0
else
  start_director dir1 101 "${kinds[0]}"
  wait_for "dir1 holding the VIP" 240 vip_on dir1 || ok=0
  if [ $ok = 1 ]; then
    start_director dir2 100 "${kinds[1]}"
    wait_for "both real servers in IPVS on dir2" 240 bash -c "[ \$(ip netns exec lbe-dir2 ipvsadm -L -n | grep -c 'Route   1') = 2 ]" || ok=0
  fi
fi
echo "both directors up after $((SECONDS - t_start)) s"
master=dir1; vip_on dir1 || master=dir2
if vip_on dir1 && vip_on dir2; then echo "both directors hold the VIP" >&2; ok=0; fi
echo "master: $master"

phase_seed() {
  wait_for "both real servers in IPVS on $master" 120 bash -c "[ \$(ip netns exec lbe-$master ipvsadm -L -n | grep -c 'Route   1') = 2 ]" || ok=0
  echo "# ipvsadm -L -n (on $master)"
  ip netns exec "lbe-$master" ipvsadm -L -n
  echo "# 10 requests from the client"
  local answers=() a i
  for i in $(seq 10); do
    a=$(ip netns exec lbe-client busybox timeout 10 busybox wget -q -O - http://192.168.0.200/test.html || echo FAILED)
    echo "$a"; answers+=("$a")
  done
  for i in $(seq 1 9); do
    [ "${answers[$i]}" != "${answers[$((i - 1))]}" ] || { echo "requests $i and $((i + 1)) went to the same server" >&2; ok=0; }
  done
  if printf '%s\n' "${answers[@]}" | grep FAILED >/dev/null; then ok=0; fi
}
if [ $ok = 1 ]; then
  for ph in $phases; do
    case $ph in
      seed|health|failover) "phase_$ph" ;;
      *) echo "seed-e2e: unknown phase $ph" >&2; ok=0 ;;
    esac
    [ $ok = 1 ] || break
  done
fi
for d in dir1 dir2; do echo "--- $d log (tail)"; tail -n 15 "$work/$d.log" || true; done
[ $ok = 1 ] && echo "SEED_E2E_OK ${kinds[*]}" || { echo "SEED_E2E_FAILED ${kinds[*]}"; exit 1; }

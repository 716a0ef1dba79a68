#!/usr/bin/env bash
# The anchor for fleet mode's director-loss goal (issue 14): the seed's VRRP pair under the kill -9 that
# fleet mode must survive, in the same kernel-VM run, for each CASE:
#   nosync  keepalived pair, the seed's config (no lvs_sync_daemon)
#   sync    keepalived pair, the same config with `global_defs { lvs_sync_daemon eth0 V_W }`: keepalived runs
#           the IPVS sync daemon over the directors' LAN interface, master on the VRRP master, backup on the
#           backup, so the backup's IPVS table holds the master's connections
#   lbkit   `lbctl run` pair with the lvs_sync_daemon config (LoadBalancerRuntime runs the sync daemons as
#           keepalived does; the run shows `ipvsadm -L --daemon` on both directors)
# Topology: tools/e2e/seed-topology.sh (client, dir1, dir2, rs1, rs2 on one bridge, LVS-DR, VIP
# 192.168.0.200), the seed's keepalived.conf (VRRP V_W, advert 1 s, nopreempt; HTTP :80 on both real
# servers) plus one DR service on :9000 (rr, TCP_CHECK) served by longconns.c's server on both real servers.
# The client (longconns.c) opens N long-lived connections to VIP:9000, each a request/response every 100 ms,
# and once all are answered a new connection to VIP:9000 (one request/response, 2 s deadline) every 100 ms
# (not the seed's busybox httpd on :80, which forks per request: under TCG it missed the deadline for ~half
# of the requests without any kill). WARM s later
# the master (dir1) crashes: its link goes down, then kill -9 of the processes this script started there
# (keepalived's parent, VRRP and checker children from their pid files; lbctl run's JVM), by PID. AFTER s
# later the client stops and reports. Per case:
#   survived    long connections never reset or closed that were answered in the run's last 5 s; within_stall:
#               those of them whose longest wait for an answer was <= STALL_MS (under TCG on a loaded host the
#               VRRP takeover alone can take longer than that: compare with first_ok)
#   reset       connections reset (RST: the new master's stack answering a segment its IPVS table lacks)
#   other_lost  closed, other socket errors, or open but silent in the run's last 5 s
#   window      new connections around the kill: from the start of the first failed one (of those started from
#               2 s before the kill, the deadline, until the first one started after the kill that succeeds) to the
#               end of the last one; first_ok: that first success's start, from the kill. Failures before and
#               after that stretch are counted apart (noise_fails: before, after): under TCG on a loaded host
#               a new connection fails its 2 s deadline now and then without any kill
#   vip         kill -> the VIP on dir2 (ip monitor's timestamp; late under load: first_ok is the client's view)
#   The kill's reference time is when `ip link set eth0 down` returned (under load it took seconds).
#   backup_conns  :9000 connections in dir2's IPVS table just before the kill (from the sync daemon)
#   rate        answers/s the long connections got in the WARM window (N x 10 asked: the VM carried it
#               if close)
# Inside the kernel VM only (IPVS); build on the host first (lbkit case):
#   mvn -o -B -q -pl lb-cli -am package -DskipTests; cc -O2 -o lb-bench/target/longconns lb-bench/scripts/longconns.c
#   tools/kernel-vm/vm-run --timeout 2600 -- bash lb-bench/scripts/sync-anchor.sh [N=300] ["nosync sync lbkit"] \
#     [WARM=10] [AFTER=30] [STALL_MS=5000]
set -euo pipefail
export LC_ALL=C
N=${1:-300}; CASES=${2:-nosync sync lbkit}; WARM=${3:-10}; AFTER=${4:-30}; STALL_MS=${5:-5000}
cd "$(dirname "$0")/../.."
root=$PWD; here=$root/tools/e2e
report() { # client-output t_kill case vip_ms on_master on_backup: the case's figures from the client's output
  local out=$1 k=$2 c=$3 vip_ms=$4 on_master=$5 on_backup=$6
  grep -E '^(READY|NOTREADY)' "$out"; grep '^TICK' "$out" | awk -v k="$k" '{ printf "%s%+d:%s ", (NR == 1 ? "ticks (ms from the kill:answers) " : ""), $2 - k, substr($3, 9) } END { print "" }'
  awk -v k="$k" -v stall="$STALL_MS" -v n="$N" -v c="$c" -v vip="$vip_ms" -v om="$on_master" -v ob="$on_backup" \
      -v warm="$WARM" '
    $1 == "TICK" && $2 < k && $2 >= k - warm * 1000 { rate += substr($3, 9); ticks++ }
    $1 == "TICK" { t_end = $2 }
    $1 == "NEW" && $4 != "stopped" { nf++; fs[nf] = $2; fe[nf] = $3; fok[nf] = ($4 == "ok"); fwhy[nf] = $5
      if ($4 == "ok" && $2 >= k && (!first_ok || $2 < first_ok)) first_ok = $2 }
    $1 == "CONN" {
      if ($4 == "setup") { setup++; next }
      est++; by[$3]++
      if ($4 == "alive" && $6 > k && $6 >= t_end - 5000) { ok++; okby[$3]++; if ($7 <= stall) quick++ }
      else if ($4 == "alive") stalled++
      else { lost[$4]++; t = $5 - k; if (!nl || t < lmin) lmin = t; if (!nl || t > lmax) lmax = t; nl++ }
    }
    END {
      printf "long connections: %d established, %d survived (answered in the last 5 s of the run: rs1 %d of %d, rs2 %d of %d; %d of them never waited > %d ms), %d reset, %d closed, %d error, %d open but silent in the last 5 s, %d not set up\n",
        est, ok, okby["rs1"], by["rs1"], okby["rs2"], by["rs2"], quick, stall, lost["reset"], lost["closed"], lost["error"], stalled, setup
      if (nl) printf "losses between %+d and %+d ms from the kill\n", lmin, lmax
      if (!first_ok) first_ok = 9e15
      for (i = 1; i <= nf; i++) {
        if (fs[i] < k - 2000) { pre++; pre_fail += !fok[i] }
        else if (fs[i] < first_ok) { out++; if (!fok[i]) { fails++; why[fwhy[i]]++; if (!ff || fs[i] < ff) ff = fs[i]; if (fe[i] > fl) fl = fe[i] } }
        else { post++; post_fail += !fok[i] }
      }
      printf "new connections: the first to succeed after the kill started %+d ms from it; %d of the %d started from 2 s before the kill until then failed (", first_ok - k, fails, out
      for (w in why) printf " %s:%d", w, why[w]
      printf " ), first failed start to last failed end %d ms; failed before: %d of %d, after: %d of %d (noise: the load of the VM)\n", (fails ? fl - ff : 0), pre_fail, pre, post_fail, post
      printf "ANCHOR case=%s N=%d established=%d survived=%d within_stall=%d reset=%d other_lost=%d window_ms=%d first_ok_ms=%d failed_new=%d noise_fails=%d/%d+%d/%d vip_ms=%s backup_conns=%d/%d rate=%.0f/s\n",
        c, n, est, ok, quick, lost["reset"], stalled + lost["closed"] + lost["error"], (fails ? fl - ff : 0), first_ok - k, fails, pre_fail, pre, post_fail, post,
        vip, ob, om, (ticks ? rate / ticks : 0), n * 10
    }' "$out"
  awk -v k="$k" '$1 == "TICK" { e = $2 } $1 == "CONN" && $4 == "alive" && $6 > k && $6 >= e - 5000 { print $7 }' "$out" | sort -n \
    | awk '{ w[NR] = $1 } END { if (NR) printf "survivors: longest wait for an answer p50 %d ms, max %d ms\n", w[int((NR + 1) / 2)], w[NR] }'
}
if [ "$N" = report ]; then # again from the saved client outputs (no VM needed)
  for m in lb-bench/target/sync-anchor/*.meta; do
    c=$(basename "$m" .meta); read -r k vip om ob N WARM <"$m"
    echo "=== case $c (saved)"; report "lb-bench/target/sync-anchor/$c.client.out" "$k" "$c" "$vip" "$om" "$ob"
  done
  exit 0
fi
[ -e /proc/net/ip_vs ] || { echo "sync-anchor: no IPVS here; run inside tools/kernel-vm/vm-run" >&2; exit 125; }
command -v keepalived >/dev/null || { echo "sync-anchor: keepalived not installed" >&2; exit 125; }
BIN=$root/lb-bench/target/longconns
[ -x "$BIN" ] || command -v cc >/dev/null || { echo "sync-anchor: needs a C compiler (gcc) for longconns.c" >&2; exit 125; }
[ -x "$BIN" ] || { mkdir -p lb-bench/target; cc -O2 -o "$BIN" lb-bench/scripts/longconns.c; }
jar=$root/lb-cli/target/lbctl.jar
echo "sync-anchor: N=$N cases=[$CASES] WARM=${WARM}s AFTER=${AFTER}s STALL_MS=$STALL_MS; $(nproc) CPUs; $(uptime)"
echo "keepalived: $(keepalived --version 2>&1 | head -1); kernel $(uname -r)"

# shellcheck source=../../tools/e2e/e2e-lib.sh
. "$here/e2e-lib.sh"
work=
teardown() {
  stop_started
  "$here/seed-topology.sh" down
  [ -z "$work" ] || rm -rf "$work"
  work=
}
trap teardown EXIT
routes_up() { [ "$(ip netns exec "lbe-$1" ipvsadm -L -n | grep -c 'Route   1')" = 4 ]; }
conns_9000() { ip netns exec "lbe-$1" ipvsadm -L -n -c | grep -c '192.168.0.200:9000' || true; }

write_conf() { # name priority sync(0|1)
  {
    [ "$3" = 0 ] || printf 'global_defs {\n    lvs_sync_daemon eth0 V_W\n}\n'
    sed -e "s/__PRIORITY__/$2/" -e "s/__IFACE__/eth0/" "$here/seed-keepalived.conf"
    printf 'virtual_server 192.168.0.200 9000 {\n    delay_loop 6\n    lvs_sched rr\n    lvs_method DR\n    protocol TCP\n'
    for rs in 61 62; do
      printf '    real_server 192.168.0.%s 9000 {\n        weight 1\n        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n' "$rs"
    done
    printf '}\n'
  } >"$work/$1.conf"
}
start_director() { # name priority kind sync
  write_conf "$1" "$2" "$4"
  case $3 in
    keepalived)
      ip netns exec "lbe-$1" keepalived -n -l -D -f "$work/$1.conf" -p "$work/$1.pid" -r "$work/$1.vrrp.pid" \
        -c "$work/$1.chk.pid" >"$work/$1.log" 2>&1 &
      ;;
    lbkit)
      ip netns exec "lbe-$1" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" run "$work/$1.conf" \
        --status-file "$work/$1.status.json" --control "$work/$1.sock" >"$work/$1.log" 2>&1 &
      ;;
  esac
  pids+=($!)
  echo $! >"$work/$1.main.pid"
}
director_pids() { # name: the processes this script started there (keepalived's children from its pid files)
  cat "$work/$1.main.pid" "$work/$1.vrrp.pid" "$work/$1.chk.pid" 2>/dev/null | sort -u | tr '\n' ' '
}


run_case() { # case: prints the case's log, ends with one ANCHOR line
  local kind=keepalived sync=0
  case $1 in
    nosync) ;;
    sync) sync=1 ;;
    lbkit) kind=lbkit sync=1
      [ -f "$jar" ] || { echo "ANCHOR case=lbkit SKIPPED (no $jar: build it on the host)"; return 0; } ;;
    *) echo "sync-anchor: unknown case $1" >&2; return 2 ;;
  esac
  work=$(mktemp -d /tmp/lbsa.XXXXXX)
  "$here/seed-topology.sh" up "$work"
  local rs
  for rs in rs1 rs2; do
    ip netns exec "lbe-$rs" "$BIN" server 9000 "$rs" 900 &
    pids+=($!)
  done
  local t0=$SECONDS
  start_director dir1 101 "$kind" "$sync"
  wait_for "dir1 holding the VIP" 240 vip_on dir1 || return 1
  start_director dir2 100 "$kind" "$sync"
  wait_for "4 real servers (2 services) on dir1" 240 routes_up dir1 || return 1
  wait_for "4 real servers (2 services) on dir2" 240 routes_up dir2 || return 1
  echo "both directors up after $((SECONDS - t0)) s; dir1 is the master"
  vip_on dir2 && { echo "both directors hold the VIP" >&2; return 1; }
  local d
  for d in dir1 dir2; do
    echo "# $d: ipvsadm -L --daemon"; ip netns exec "lbe-$d" ipvsadm -L --daemon || true
  done
  ip netns exec lbe-dir1 ipvsadm -L -n
  local out=$work/client.out stop=$work/client.stop
  ip netns exec lbe-client "$BIN" client 192.168.0.200 9000 "$N" 9000 "$stop" $((WARM + AFTER + 300)) >"$out" 2>&1 &
  local client=$!; pids+=($client)
  wait_for "READY: all $N long connections answered" 240 grep -q '^READY' "$out" \
    || { tail -n 3 "$out"; touch "$stop"; wait "$client" || true; grep '^CONN' "$out" | awk '{print $4}' | sort | uniq -c; return 1; }
  sleep "$WARM"
  local on_master on_backup
  on_master=$(conns_9000 dir1); on_backup=$(conns_9000 dir2)
  echo "before the kill: :9000 connections in IPVS: dir1 (master) $on_master, dir2 (backup) $on_backup"
  ip -n lbe-dir2 -ts monitor address >"$work/monitor.log" 2>&1 &
  local monitor=$!; pids+=($monitor)
  sleep 0.3
  local victims; victims=$(director_pids dir1 || true)
  # The reference time is taken once the link is down: under TCG on a loaded host the ip command itself can
  # take seconds, and packets still pass until it returns.
  local t_cmd; t_cmd=$(now_ms)
  ip -n lbe-dir1 link set eth0 down
  local t_kill; t_kill=$(now_ms)
  # shellcheck disable=SC2086
  kill -9 $victims 2>/dev/null || true
  echo "t_kill=$t_kill: dir1's link down (the command took $((t_kill - t_cmd)) ms), kill -9 $victims"
  local vip_ms=-
  if wait_for "the VIP on dir2" 60 vip_on dir2; then
    sleep 0.3
    local stamp; stamp=$(grep -m1 '192.168.0.200/32' "$work/monitor.log" | sed -n 's/^\[\([^]]*\)\].*/\1/p')
    if [ -n "$stamp" ]; then vip_ms=$(( $(date -d "$stamp" +%s%3N) - t_kill )); else vip_ms=$(( $(now_ms) - t_kill )); fi
  fi
  echo "VIP on dir2 ${vip_ms} ms after the kill"
  sleep "$AFTER"
  echo "# dir2 after: ipvsadm -L -n; :9000 connections $(conns_9000 dir2)"; ip netns exec lbe-dir2 ipvsadm -L -n
  touch "$stop"
  wait_for "the client's report" 60 bash -c "! kill -0 $client" || true
  report "$out" "$t_kill" "$1" "$vip_ms" "$on_master" "$on_backup"
  mkdir -p "$root/lb-bench/target/sync-anchor"; cp "$out" "$root/lb-bench/target/sync-anchor/$1.client.out"
  echo "$t_kill $vip_ms $on_master $on_backup $N $WARM" >"$root/lb-bench/target/sync-anchor/$1.meta"
  for d in dir1 dir2; do echo "--- $d log (tail)"; tail -n 8 "$work/$d.log" || true; done
}

results=$(mktemp /tmp/lbsa-results.XXXXXX)
for c in $CASES; do
  echo; echo "=== case $c"
  # (not in a pipe: run_case must run in this shell, where teardown finds its pids; the VM has no /dev/fd)
  rc=0; run_case "$c" >"$results.case" 2>&1 || rc=$?
  [ $rc = 0 ] || echo "ANCHOR case=$c FAILED (exit $rc)" >>"$results.case"
  cat "$results.case"; cat "$results.case" >>"$results"
  teardown
done
echo; echo "=== summary (N=$N, STALL_MS=$STALL_MS; command: tools/kernel-vm/vm-run --timeout 2600 -- bash lb-bench/scripts/sync-anchor.sh $N \"$CASES\" $WARM $AFTER $STALL_MS)"
grep '^ANCHOR' "$results" || true
rm -f "$results" "$results.case"

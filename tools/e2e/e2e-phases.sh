# Failure phases of the seed scenario (sourced by seed-e2e.sh; inside the kernel VM only).
#   health:   kill one real server's web server; its weight must go to 0 on the master
#             (inhibit_on_failure) within the bound its HTTP_GET allows, every request then
#             succeed on the other one; restart it: weight 1 again, requests alternate.
#   failover: the master director crashes (its link goes down, then kill -9: a dead
#             director sends nothing, answers no ARP); the backup must hold the VIP within the
#             master-down interval; the client's failed-request window is measured.
#   (and start_together, seed-e2e.sh's E2E_START=together: both directors started at once ->
#   the first MASTER; at the end of this file)
# Each phase prints "E2E_METRIC name=value" lines (read by lb-bench/scripts/e2e-vs-keepalived.sh)
# and sets ok=0 on a failed assertion. Times are milliseconds from date +%s%3N.

# TCG is 5-10x slower than a real machine, and on a shared host a JVM in the VM stalls for
# 1-4 s at times (lbkit logs each late timer): allowances added to
# the protocol's own bounds (stated in the output with each bound).
HEALTH_TOLERANCE_MS=${HEALTH_TOLERANCE_MS:-4000}
FAILOVER_TOLERANCE_MS=${FAILOVER_TOLERANCE_MS:-8000}
# The client is busybox's wget (static: under TCG it starts in a fraction of curl's
# time), each request bounded by busybox timeout.
# the failover client's per-request timeout (a request slower than this counts as failed)
CLIENT_TIMEOUT_S=${CLIENT_TIMEOUT_S:-2}

conf_value() { # keyword: its first value in the seed config
  awk -v k="$1" '$1 == k { print $2; exit }' "$here/seed-keepalived.conf"
}
weight_of() { # director real-server-ip: its weight in the director's IPVS table (empty if absent)
  ip netns exec "lbe-$1" ipvsadm -L -n | awk -v rs="$2:80" '$2 == rs { print $4 }'
}
link_up() { ip -n "lbe-$1" -o link show dev eth0 | grep -q 'state UP'; }
current_master() { # the living director holding the VIP
  local d
  for d in dir1 dir2; do
    if link_up "$d" && vip_on "$d"; then echo "$d"; return 0; fi
  done
  return 1
}
metric() { echo "E2E_METRIC $1=$2"; }
wait_ms() { # description deadline-ms command... : prints the milliseconds it took, fails on timeout
  local what=$1 deadline=$(( $(now_ms) + $2 )) t0; t0=$(now_ms); shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "TIMEOUT waiting for $what" >&2; return 1; }
    sleep 0.1
  done
  echo $(( $(now_ms) - t0 ))
}
weight_is() { [ "$(weight_of "$1" "$2")" = "$3" ]; }
both_at_weight_1() { weight_is "$1" 192.168.0.61 1 && weight_is "$1" 192.168.0.62 1; }
requests() { # count: one answer (or FAILED) per line
  local i
  for i in $(seq "$1"); do
    ip netns exec lbe-client busybox timeout 10 busybox wget -q -O - http://192.168.0.200/test.html || echo FAILED
  done
}

phase_health() {
  local m; m=$(current_master) || { echo "health: no master" >&2; ok=0; return; }
  local delay_loop connect_timeout retry delay_before_retry
  delay_loop=$(conf_value delay_loop); connect_timeout=$(conf_value connect_timeout)
  retry=$(conf_value retry); delay_before_retry=$(conf_value delay_before_retry)
  # Down: the next check is at most delay_loop away; it and its retries (retry + 1
  # attempts, delay_before_retry apart) each take at most connect_timeout.
  local down_bound=$(( (delay_loop + retry * delay_before_retry + (retry + 1) * connect_timeout) * 1000 ))
  # Up: one successful check, at most delay_loop + connect_timeout away.
  local up_bound=$(( (delay_loop + connect_timeout) * 1000 ))
  echo "# health on $m: kill rs1's web server (HTTP_GET delay_loop $delay_loop, connect_timeout $connect_timeout," \
    "retry $retry, delay_before_retry $delay_before_retry)"
  echo "bound to weight 0: delay_loop + retry*delay_before_retry + (retry+1)*connect_timeout = ${down_bound} ms" \
    "(+ ${HEALTH_TOLERANCE_MS} ms for TCG)"
  wait_ms "rs1 at weight 1 on $m before the kill" 60000 weight_is "$m" 192.168.0.61 1 >/dev/null || { ok=0; return; }
  # a process of the namespace may end between the listing and the kill (busybox httpd's child for a
  # check in flight): that is not a failure; a web server still alive would show in the weight wait below
  ip netns pids lbe-rs1 | xargs -r kill -9 2>/dev/null || true
  echo "rs1's web server killed at $(date -u +%H:%M:%S.%3N) (UTC)"
  local took
  if took=$(wait_ms "rs1 at weight 0 on $m" $((down_bound + HEALTH_TOLERANCE_MS)) weight_is "$m" 192.168.0.61 0); then
    echo "rs1 weight 0 after ${took} ms"; metric health_down_ms "$took"
  else
    ok=0; ip netns exec "lbe-$m" ipvsadm -L -n; return
  fi
  ip netns exec "lbe-$m" ipvsadm -L -n
  if [ "${kinds_of[dir1]}${kinds_of[dir2]}" = lbkitlbkit ]; then # (one more JVM start: once per tier)
    echo "# lbctl status (on $m)"
    # shellcheck disable=SC2086
    $lbctl status --socket "$work/$m.sock" --timeout 30 || { echo "health: lbctl status failed" >&2; ok=0; }
  fi
  local answers; answers=$(requests 6)
  echo "$answers"
  if [ "$(grep -c 'tenten webserv' <<<"$answers")" != 6 ]; then
    echo "health: with rs1 down, not every request was served by rs2" >&2; ok=0
  fi
  echo "# restart rs1's web server (bound to weight 1: delay_loop + connect_timeout = ${up_bound} ms" \
    "+ ${HEALTH_TOLERANCE_MS} ms)"
  ip netns exec lbe-rs1 busybox httpd -p 80 -h "$work/rs1"
  echo "rs1's web server restarted at $(date -u +%H:%M:%S.%3N) (UTC)"
  if took=$(wait_ms "rs1 at weight 1 on $m" $((up_bound + HEALTH_TOLERANCE_MS)) weight_is "$m" 192.168.0.61 1); then
    echo "rs1 weight 1 after ${took} ms"; metric health_up_ms "$took"
  else
    ok=0; return
  fi
  answers=$(requests 4)
  echo "$answers"
  if [ "$(grep -c 'shizune webserv' <<<"$answers")" != 2 ] || [ "$(grep -c 'tenten webserv' <<<"$answers")" != 2 ]; then
    echo "health: rs1 back, but requests do not alternate" >&2; ok=0
  fi
}

client_loop() { # file stopfile: one "start end http_code" line per request until stopfile exists (300 s at most)
  # One bash in the client's namespace, times from $EPOCHREALTIME: only curl is started per
  # request, so the loop's resolution is one curl run, not an "ip netns exec" as well.
  ip netns exec lbe-client bash -c '
    ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
    end=$((SECONDS + 300))
    while [ ! -e "$2" ] && [ $SECONDS -lt $end ]; do
      s=$(ms)
      if busybox timeout "$3" busybox wget -q -O /dev/null http://192.168.0.200/test.html 2>/dev/null; then
        code=200
      else
        code=000
      fi
      echo "$s $(ms) $code" >> "$1"
    done' client-loop "$1" "$2" "$CLIENT_TIMEOUT_S"
}

phase_failover() {
  local m; m=$(current_master) || { echo "failover: no master" >&2; ok=0; return; }
  local b=dir1; [ "$m" = dir1 ] && b=dir2
  local advert prio
  advert=$(conf_value advert_int)
  prio=$(awk '$1 == "priority" { print $2; exit }' "$work/$b.conf")
  # RFC 3768: Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time, Skew = (256 - Priority) / 256
  local down_ms=$(( 3 * advert * 1000 + (256 - prio) * advert * 1000 / 256 ))
  echo "# failover: kill -9 the master $m (${kinds_of[$m]}); backup $b (${kinds_of[$b]}, priority $prio)"
  echo "bound for the VIP on $b: master-down interval 3*advert_int + (256-priority)/256*advert_int = ${down_ms} ms" \
    "(+ ${FAILOVER_TOLERANCE_MS} ms for TCG)"
  # the backup checks the real servers on its own: after the health phase its table may
  # need a delay_loop + connect_timeout (and TCG) to show rs1 back at weight 1
  wait_for "the backup's IPVS table with both real servers at weight 1" 40 both_at_weight_1 "$b" \
    || { echo "failover: the backup's IPVS table is not ready" >&2; ip netns exec "lbe-$b" ipvsadm -L -n; ok=0; return; }
  local log="$work/client.log" stop="$work/client.stop"
  : > "$log"
  client_loop "$log" "$stop" &
  local loop=$!
  wait_ms "3 successful client requests" 120000 bash -c "[ \$(grep -c ' 200\$' $log) -ge 3 ]" >/dev/null || ok=0
  # the VIP's arrival on the backup, timestamped by the kernel's own notification
  ip -n "lbe-$b" -ts monitor address > "$work/monitor.log" 2>&1 &
  local monitor=$!
  sleep 0.5
  # link down first, then kill -9: a crash, with no last packet. (In the other order
  # keepalived's VRRP child, told of its parent's death by PDEATHSIG, can still send its
  # priority-0 advert, and the backup takes over after the skew time only.)
  local t_kill; t_kill=$(now_ms)
  ip -n "lbe-$m" link set eth0 down
  ip netns pids "lbe-$m" | xargs -r kill -9 2>/dev/null || true  # (a process may end before its kill)
  local took
  if wait_ms "the VIP on $b" $((down_ms + FAILOVER_TOLERANCE_MS + 20000)) vip_on "$b" >/dev/null; then
    sleep 0.5
    local stamp; stamp=$(grep -m1 '192.168.0.200/32' "$work/monitor.log" | sed -n 's/^\[\([^]]*\)\].*/\1/p')
    if [ -n "$stamp" ]; then took=$(( $(date -d "$stamp" +%s%3N) - t_kill )); else took=$(( $(now_ms) - t_kill )); fi
    echo "VIP on $b ${took} ms after the kill"; metric failover_vip_ms "$took"
    [ "$took" -le $((down_ms + FAILOVER_TOLERANCE_MS)) ] || { echo "failover: VIP later than the bound" >&2; ok=0; }
  else
    ok=0
  fi
  kill "$monitor" 2>/dev/null || true
  # the client keeps going until 5 requests in a row succeed after the kill (120 s at most)
  wait_ms "5 successful requests in a row after the kill" 120000 bash -c \
    "awk -v k=$t_kill '\$1 >= k { n = (\$3 == 200) ? n + 1 : 0 } END { exit !(n >= 5) }' $log" >/dev/null || ok=0
  touch "$stop"; wait "$loop" || true
  # the window: from the start of the first failed request to the end of the last one
  local summary
  summary=$(awk -v k="$t_kill" '$2 >= k && $3 != 200 { if (!f) f = $1; l = $2; n++ }
    $2 >= k { total++ } END { printf "%d %d %d\n", n, (n ? l - f : 0), total }' "$log")
  read -r failed window total <<<"$summary"
  echo "client (wget, ${CLIENT_TIMEOUT_S} s timeout): $failed of $total requests failed after the kill; failed-request window ${window} ms"
  metric failover_failed_requests "$failed"; metric failover_window_ms "$window"
  ip netns exec "lbe-$b" ipvsadm -L -n
}

# The start (E2E_START=together in seed-e2e.sh): both directors started at the same moment,
# dir1's process forked first, dir2's right after, as two directors booting together. Both
# are state BACKUP with nopreempt (the seed's config): each becomes MASTER when its own
# master-down timer (3 * advert_int + skew: 3.605 s at priority 101, 3.609 s at 100) runs
# out with no advert heard; a BACKUP with nopreempt ignores an advert of lower priority, so
# the director whose timer fires first wins, whatever its priority, unless both fire within
# the time an advert takes to arrive (then the two masters' adverts settle it by priority).
# Metrics: start_master_ms (dir1's fork -> the VIP on the first director to hold it, from the
# kernel's address notification), start_master_priority (that director's priority),
# start_settled_priority (the master's once one alone holds the VIP); for an
# lbkit director start_backup_p<priority>_ms (its fork -> its VRRP "INIT -> BACKUP" log line: the
# JVM's start and lbctl's own) and start_gap_ms (the winner's BACKUP -> its VIP: the
# master-down interval as run).
start_together() {
  local d mons=()
  for d in dir1 dir2; do
    ip -n "lbe-$d" -ts monitor address > "$work/start-monitor.$d.log" 2>&1 &
    mons+=($!)
  done
  write_conf dir1 101; write_conf dir2 100
  sleep 0.5
  local t0 t2; t0=$(now_ms)
  start_director dir1 101 "${kinds_of[dir1]}"
  start_director dir2 100 "${kinds_of[dir2]}"
  t2=$(now_ms)
  echo "start: dir1 forked at +0 ms, dir2 at +$((t2 - t0)) ms"
  local good=1
  wait_ms "a VIP on either director" 300000 any_vip >/dev/null || good=0
  sleep 0.5
  kill "${mons[@]}" 2>/dev/null || true
  wait "${mons[@]}" 2>/dev/null || true
  [ $good = 1 ] || return 1
  local first="" first_ms="" stamp ms
  for d in dir1 dir2; do
    stamp=$(grep -m1 '192.168.0.200/32' "$work/start-monitor.$d.log" | sed -n 's/^\[\([^]]*\)\].*/\1/p')
    [ -n "$stamp" ] || continue
    ms=$(( $(date -d "$stamp" +%s%3N) - t0 ))
    echo "start: VIP on $d at +${ms} ms"
    if [ -z "$first" ] || [ "$ms" -lt "$first_ms" ]; then first=$d; first_ms=$ms; fi
  done
  [ -n "$first" ] || { echo "start: no VIP notification seen" >&2; return 1; }
  local prio; prio=$(awk '$1 == "priority" { print $2; exit }' "$work/$first.conf")
  metric start_master_ms "$first_ms"; metric start_master_priority "$prio"
  local line t
  for d in dir1 dir2; do
    [ "${kinds_of[$d]}" = lbkit ] || continue
    # the VRRP logger's line (HH:MM:SS.mmm, UTC in the VM), not lbctl's own transition line:
    # that one is printed by another thread, seen up to 1.3 s later in a loaded VM
    line=$(grep -m1 'VrrpFsm - VRRP instance .*INIT -> BACKUP' "$work/$d.log" || true)
    [ -n "$line" ] || continue
    t=$(( $(date -u -d "$(date -u +%F) ${line%% *}" +%s%3N) - t0 ))
    metric "start_backup_p$(awk '$1 == "priority" { print $2; exit }' "$work/$d.conf")_ms" "$t"
    [ "$d" != "$first" ] || metric start_gap_ms $((first_ms - t))
  done
  # both may hold the VIP for an advert's time when their timers fire together
  wait_for "one director alone holding the VIP" 30 one_vip || return 1
  # the master once settled: when both timers fired within an advert's way, the higher priority
  for d in dir1 dir2; do
    vip_on "$d" && metric start_settled_priority "$(awk '$1 == "priority" { print $2; exit }' "$work/$d.conf")"
  done
  wait_for "both real servers in IPVS on dir1 and dir2" 240 bash -c \
    "[ \$(ip netns exec lbe-dir1 ipvsadm -L -n | grep -c 'Route   1') = 2 ] && [ \$(ip netns exec lbe-dir2 ipvsadm -L -n | grep -c 'Route   1') = 2 ]"
}
any_vip() { vip_on dir1 || vip_on dir2; }
one_vip() { any_vip && ! { vip_on dir1 && vip_on dir2; }; }

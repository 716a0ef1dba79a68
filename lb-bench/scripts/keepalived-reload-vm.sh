#!/bin/bash
# The anchor for reload: keepalived and `lbctl run` on the same keepalived.conf of N virtual servers x 10
# real servers (NAT, rr, no health checks), one after the other in the same VM (keepalived needs IPVS):
# start-up (process start -> the IPVS table complete, as `ipvsadm -S -n` counts it), RSS once
# complete (keepalived: its parent and checker process together), and the SIGHUP reload after one real
# server's weight was edited in place (signal -> `ipvsadm -L` shows the new weight). One summary
# line per size with the ratios lbkit/keepalived. Run it INSIDE the kernel VM, after building on the host:
#   mvn -o -B -q -pl lb-cli -am package -DskipTests
#   tools/kernel-vm/vm-run --timeout 3600 -- bash lb-bench/scripts/keepalived-reload-vm.sh 1000 10000
# (TCG emulation: 20-40 min for both sizes; --cpus 1 if JVMs crash there.) JAVA_OPTS (pass it with
# vm-run --env JAVA_OPTS) replaces the JVM options (default -XX:+UseSerialGC -XX:TieredStopAtLevel=1,
# as lbctl's launcher). Every wait has a deadline; only the processes started here are stopped, and
# the IPVS table (the VM's own) is cleared between runs. lbctl's start-up is to the complete table too;
# its SIGHUP is sent once it printed that it is running (a SIGHUP while starting is refused).
set -eu
cd "$(dirname "$0")/../.."
[ "${LBKIT_IN_VM:-0}" = 1 ] || { echo "run inside tools/kernel-vm/vm-run: keepalived needs IPVS"; exit 2; }
SIZES=${*:-1000 10000}
JAR=$PWD/lb-cli/target/lbctl.jar
[ -f "$JAR" ] || { echo "build first: mvn -o -B -q -pl lb-cli -am package -DskipTests"; exit 2; }
JOPTS=${JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}
W=$PWD/lb-bench/target/kreload.$$
mkdir -p "$W"
PIDS=
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; ipvsadm -C 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rss_kb() { local s=0 p; for p in "$@"; do s=$((s + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$s"; }

# gen N FILE: the configuration; sets VIP, RIP (the real server edited later) and LINE (its weight line)
gen() {
  awk -v n="$1" -v c=$(( $1 / 2 )) 'BEGIN {
    print "global_defs {\n  router_id kreload\n}"; l = 3
    for (i = 0; i < n; i++) {
      printf "virtual_server 10.0.%d.%d 80 {\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n", i / 250, i % 250 + 1; l += 4
      for (j = 0; j < 10; j++) {
        g = i * 10 + j
        printf "  real_server 10.%d.%d.%d 8080 {\n    weight 1\n  }\n", 128 + int(g / 64516), int(g / 254) % 254, g % 254 + 1
        if (i == c && j == 3) { printf "10.0.%d.%d 10.%d.%d.%d %d\n", i / 250, i % 250 + 1, 128 + int(g / 64516), int(g / 254) % 254, g % 254 + 1, l + 2 > "/dev/stderr" }
        l += 3
      }
      print "}"; l++
    }
  }' > "$2" 2> "$W/target"
  read -r VIP RIP LINE < "$W/target"
}

# wait_table ROWS SECONDS LASTVIP: until `ipvsadm -S -n` has ROWS lines (the last service's 10 real servers first:
# a cheap poll, then the full count)
wait_table() {
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(ipvsadm -L -n -t "$3:80" 2>/dev/null | grep -c -- '->.*Masq')" -ge 10 ] && break
    sleep 0.2
  done
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(ipvsadm -S -n | wc -l)" -ge "$1" ] && return 0
    sleep 0.2
  done
  return 1
}

# wait_weight SECONDS: until the edited real server has weight 7
wait_weight() {
  local end=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    [ "$(ipvsadm -L -n -t "$VIP:80" 2>/dev/null | awk -v r="$RIP:8080" '$2 == r { print $4 }')" = 7 ] && return 0
    sleep 0.05
  done
  return 1
}

# stop PID: TERM, up to 120 s, then KILL; the table is cleared
stop() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  ipvsadm -C
}

# measure NAME COMMAND...: sets START, RSS (MiB) and HUP for one daemon on $CONF
measure() {
  local name=$1 pid t0 t1 t2 t3 extra=
  shift
  ipvsadm -C
  gen "$N" "$CONF"
  t0=$(now)
  "$@" > "$W/$name-$N.log" 2>&1 &
  pid=$!
  PIDS="$PIDS $pid"
  if wait_table "$ROWS" 1800 "$LASTVIP"; then t1=$(now); START=$(sub "$t0" "$t1"); else START=timeout; fi
  # lbctl takes SIGHUP once started (its start returns after printing every IPVS write, which under
  # emulation lags the table): wait for its ready line, outside the start-up time
  if [ "$name" = lbkit ]; then
    for _ in $(seq 1 3000); do grep -q 'SIGHUP reloads' "$W/$name-$N.log" && break; sleep 0.2; done
  fi
  sleep 2
  [ "$name" = keepalived ] && [ -s "$W/c.pid" ] && extra=$(cat "$W/c.pid")
  RSS=$(awk -v k="$(rss_kb "$pid" $extra)" 'BEGIN { printf "%.1f", k / 1024 }')
  sed -i "${LINE}s/weight 1/weight 7/" "$CONF"
  t2=$(now)
  kill -HUP "$pid"
  if wait_weight 900; then t3=$(now); HUP=$(sub "$t2" "$t3"); else HUP=timeout; fi
  echo "$name services=$N rows=$(ipvsadm -S -n | wc -l) start_s=$START rss_mib=$RSS sighup_reload_s=$HUP" \
    "(log: $(tail -1 "$W/$name-$N.log" | cut -c1-120))"
  stop "$pid"
}

echo "machine: $(nproc) CPUs; $(uname -r); keepalived: $(keepalived --version 2>&1 | head -1); java: $(java -version 2>&1 | head -1)"
for N in $SIZES; do
  CONF=$W/keepalived-$N.conf
  ROWS=$((N * 11))
  LASTVIP=10.0.$(( (N - 1) / 250 )).$(( (N - 1) % 250 + 1 ))
  rm -f "$W/k.pid" "$W/c.pid"
  measure keepalived keepalived -n -l -D --check --use-file "$CONF" --pid "$W/k.pid" --checkers_pid "$W/c.pid"
  KS=$START KR=$RSS KH=$HUP
  # shellcheck disable=SC2086
  measure lbkit java $JOPTS -jar "$JAR" run --control none --dataplane ipvs "$CONF"
  echo "RELOAD-ANCHOR services=$N reals=$((N * 10)) keepalived start_s=$KS rss_mib=$KR sighup_s=$KH;" \
    "lbkit start_s=$START rss_mib=$RSS sighup_s=$HUP;" \
    "ratio lbkit/keepalived start=$(awk -v a="$START" -v b="$KS" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "n/a" }')" \
    "rss=$(awk -v a="$RSS" -v b="$KR" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')" \
    "sighup=$(awk -v a="$HUP" -v b="$KH" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "n/a" }')"
done

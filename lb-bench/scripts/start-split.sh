#!/usr/bin/env bash
# Where `lbctl run`'s start goes (root): exec -> VRRP INIT -> BACKUP of the seed's VRRP instance, split in parts, and
# a before/after of it in interleaved pairs. Each start gets a fresh namespace (ns-director-lib.sh: eth0-eth1, the
# seed's vrrp_instance alone). Times are wall clock: bash's $EPOCHREALTIME (no process) just before the exec against
# the timestamp the JVM writes (the class-load log's timemillis, lbctl run's own Instant on its INIT -> BACKUP line).
#   pair      BEFORE_LAUNCHER (an earlier launcher with its lbctl.jar beside it) and lb-cli/bin/lbctl, alternating
#             which goes first; exec -> INIT->BACKUP each, stopped once BACKUP (no class-load log)
#   floor     a trivial main (prints System.currentTimeMillis()) under the exact options the launcher gives `run` (read
#             from a launched `run`'s /proc/PID/cmdline: the run archive is bound to lbctl.jar's path, so the floor
#             gets the JDK's default archive, as a trivial class needs) : exec -> main, the JVM's own start
#   launcher  exec -> lbctl's main class loaded, through the launcher and through `java` with the launcher's exact
#             options (class-load log to a file): the difference is the launcher shell's cost
#   inside    from that log: main class -> RunSpec (picocli's classes), -> the file read (KeepalivedConfig), -> the
#             runtime (LoadBalancerRuntime), -> INIT->BACKUP
#   master    one start to MASTER: INIT->BACKUP -> BACKUP->MASTER (lbctl's lines: the master-down timer), and the
#             VIP seen by a 20 ms poll as footprint.sh does (its detection delay)
#   keepalived the anchor: exec -> "Entering BACKUP" in its output (5 ms polls) and exec -> the VIP seen (20 ms polls)
# Run it under PRIO="chrt -f 10" on a loaded machine (it re-execs itself at that priority; children inherit it).
#   [BEFORE_LAUNCHER=/tmp/before/lbctl] [PRIO="chrt -f 10"] lb-bench/scripts/start-split.sh [PAIRS=10] [SPLITS=5]
set -euo pipefail
if [ -n "${PRIO:-}" ] && [ -z "${SPLIT_UNDER_PRIO:-}" ]; then
  export SPLIT_UNDER_PRIO=1
  exec $PRIO "$0" "$@"
fi
cd "$(dirname "$0")/../.."
PAIRS=${1:-10}
SPLITS=${2:-5}
LAUNCHER=$PWD/lb-cli/bin/lbctl
[ -f lb-cli/target/lbctl.jar ] || { echo "build first: mvn -o -B -q -pl lb-cli -am package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "start-split.sh needs root (namespaces)" >&2; exit 1; }
. lb-bench/scripts/ns-director-lib.sh
ns_director_init lbk-split
export LBCTL_CDS_DIR=$W/cds

ms() { # EPOCHREALTIME -> ms
  local s=${1%.*} f=${1#*.}
  echo $(( s * 1000 + 10#${f:0:3} ))
}
line_ms() { # the ISO instant that starts a line of lbctl's output -> ms
  date -d "${1%% *}" +%s%3N
}
wait_for() { # FILE PATTERN SECONDS: 0 once PATTERN is in FILE
  local i
  for ((i = 0; i < $3 * 100; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.01; done
  return 1
}
# start LAUNCHER [JAVA-OPTS]: one `run` in a fresh namespace, stopped at BACKUP; prints exec -> INIT->BACKUP (ms)
start() {
  local l=$1 t0 b
  ns_up "lbksp-$$"
  rm -f "$W/out"
  t0=$EPOCHREALTIME
  ip netns exec "$NS" env LBCTL_JAVA_OPTS="${2:-}" LBCTL_CDS_DIR="$W/cds-$(basename "$(dirname "$l")")" \
    "$l" run "$W/vrrp.conf" --control none > "$W/out" 2>&1 &
  PID=$!
  wait_for "$W/out" 'INIT -> BACKUP' 30 || { ns_down; echo none; return; }
  b=$(line_ms "$(grep 'INIT -> BACKUP' "$W/out")")
  ns_down
  echo $(( b - $(ms "$t0") ))
}
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${PRIO:+, priority: $PRIO}"
# archives built first (each launcher's own directory), not measured
start "$LAUNCHER" > /dev/null
[ -z "${BEFORE_LAUNCHER:-}" ] || start "$BEFORE_LAUNCHER" > /dev/null

if [ -n "${BEFORE_LAUNCHER:-}" ]; then
  : > "$W/pairs"
  for ((p = 1; p <= PAIRS; p++)); do
    if ((p % 2)); then b=$(start "$BEFORE_LAUNCHER"); a=$(start "$LAUNCHER"); else a=$(start "$LAUNCHER"); b=$(start "$BEFORE_LAUNCHER"); fi
    echo "pair $p: before $b ms, after $a ms"
    echo "$b $a" >> "$W/pairs"
  done
  awk "$AWK_MEDIAN"'{ b[NR] = $1; a[NR] = $2; if ($2 < $1) f++ } END { n = NR; mb = med(b, n); ma = med(a, n)
    printf "PAIRS exec->BACKUP median before %d ms, after %d ms (%+d), after faster in %d of %d pairs\n", mb, ma, ma - mb, f, n }' \
    "$W/pairs"
fi

# the launcher's exact java command line for run (from a launched run's /proc/PID/cmdline)
ns_up "lbksp-$$"
ip netns exec "$NS" env LBCTL_CDS_DIR="$W/cds-bin" "$LAUNCHER" run "$W/vrrp.conf" --control none > "$W/out" 2>&1 &
PID=$!
wait_for "$W/out" 'INIT -> BACKUP' 30
mapfile -d '' CMD < "/proc/$PID/cmdline"
ns_down
JAVA_OPTS=()
for a in "${CMD[@]:1}"; do [ "$a" = -jar ] && break; JAVA_OPTS+=("$a"); done
echo "launcher's java options for run: ${JAVA_OPTS[*]}"
mkdir -p "$W/floor"
printf 'public class Floor { public static void main(String[] a) { System.out.println(System.currentTimeMillis()); } }\n' \
  > "$W/floor/Floor.java"
javac -d "$W/floor" "$W/floor/Floor.java"
FLOOR_OPTS=()
for a in "${JAVA_OPTS[@]}"; do case $a in -XX:SharedArchiveFile=*|-Djna.*) ;; *) FLOOR_OPTS+=("$a") ;; esac; done

: > "$W/splits"
for ((s = 1; s <= SPLITS; s++)); do
  # floor: exec -> main of a trivial class
  t0=$EPOCHREALTIME
  m=$(java "${FLOOR_OPTS[@]}" -cp "$W/floor" Floor)
  floor=$(( m - $(ms "$t0") ))
  # through the launcher and through java directly, with a class-load log (timemillis) to a file
  for how in launcher java; do
    ns_up "lbksp-$$"
    rm -f "$W/out" "$W/cl.log"
    log="-Xlog:class+load=info:file=$W/cl.log:timemillis"
    t0=$EPOCHREALTIME
    if [ $how = launcher ]; then
      ip netns exec "$NS" env LBCTL_JAVA_OPTS="$log" LBCTL_CDS_DIR="$W/cds-bin" "$LAUNCHER" run "$W/vrrp.conf" \
        --control none > "$W/out" 2>&1 &
    else
      ip netns exec "$NS" java "${JAVA_OPTS[@]}" "$log" -jar "$PWD/lb-cli/target/lbctl.jar" run "$W/vrrp.conf" \
        --control none > "$W/out" 2>&1 &
    fi
    PID=$!
    wait_for "$W/out" 'INIT -> BACKUP' 30 || true
    ns_down
    t=$(ms "$t0")
    at() { grep -m1 " $1 source" "$W/cl.log" | sed 's/^\[\([0-9]*\)ms\].*/\1/'; }
    main=$(at 'io\.lbkit\.cli\.Lbctl'); spec=$(at 'io\.lbkit\.cli\.RunSpec\$Field'); cfg=$(at 'io\.lbkit\.config\.keepalived\.KeepalivedConfig')
    rt=$(at 'io\.lbkit\.runtime\.LoadBalancerRuntime'); bk=$(line_ms "$(grep 'INIT -> BACKUP' "$W/out")")
    if [ $how = launcher ]; then
      lmain=$((main - t)); lin="$((spec - main)) $((cfg - spec)) $((rt - cfg)) $((bk - rt)) $((bk - t))"
    else
      jmain=$((main - t))
    fi
  done
  echo "split $s: floor $floor ms; exec->main launcher $lmain, java $jmain; main->RunSpec, ->config, ->runtime, ->BACKUP, exec->BACKUP: $lin"
  echo "$floor $lmain $jmain $lin" >> "$W/splits"
done
awk "$AWK_MEDIAN"'{ for (i = 1; i <= 8; i++) v[i, NR] = $i } END { n = NR
  for (i = 1; i <= 8; i++) { for (j = 1; j <= n; j++) a[j] = v[i, j]; m[i] = med(a, n) }
  printf "SPLIT medians of %d: JVM floor (trivial main, launcher options) %d ms; exec->main via launcher %d, via java %d (launcher shell %d); main->RunSpec %d, ->config read %d, ->runtime %d, ->INIT->BACKUP %d; exec->BACKUP %d (with class-load log)\n",
    n, m[1], m[2], m[3], m[2] - m[3], m[4], m[5], m[6], m[7], m[8] }' "$W/splits"

# one start to MASTER: the master-down wait and footprint.sh's detection delay
ns_up "lbksp-$$"
rm -f "$W/out"
t0=$EPOCHREALTIME
ip netns exec "$NS" env LBCTL_CDS_DIR="$W/cds-bin" "$LAUNCHER" run "$W/vrrp.conf" --control none > "$W/out" 2>&1 &
PID=$!
seen=""
for _ in $(seq 1 1500); do
  if ip -n "$NS" -4 addr show dev eth0 | grep -q 192.168.0.200; then seen=$(ms "$EPOCHREALTIME"); break; fi
  sleep 0.02
done
ns_down
t=$(ms "$t0"); b=$(line_ms "$(grep 'INIT -> BACKUP' "$W/out")"); mm=$(line_ms "$(grep 'BACKUP -> MASTER' "$W/out")")
echo "MASTER exec->BACKUP $((b - t)) ms, BACKUP->MASTER $((mm - b)) ms (bound 3609), MASTER line -> VIP seen by a 20 ms poll $((seen - mm)) ms, exec->seen $((seen - t)) ms"
# the anchor the same way: keepalived exec -> "Entering BACKUP" in its output (5 ms polls of the file by bash itself, no
# process) and exec -> the VIP seen by the 20 ms poll, SPLITS starts
if command -v keepalived > /dev/null; then
  : > "$W/ka"
  for ((s = 1; s <= SPLITS; s++)); do
    ns_up "lbksp-$$"
    : > "$W/out"
    t0=$EPOCHREALTIME
    ip netns exec "$NS" keepalived -n -l -P -f "$W/vrrp.conf" -p "$W/k.pid" -r "$W/v.pid" -c "$W/c.pid" > "$W/out" 2>&1 &
    PID=$!
    kb=-1; kv=-1
    for ((k = 0; k < 2000; k++)); do c=$(< "$W/out"); [[ $c == *"Entering BACKUP"* ]] && { kb=$(( $(ms "$EPOCHREALTIME") - $(ms "$t0") )); break; }; sleep 0.005; done
    for ((k = 0; k < 1500; k++)); do
      if ip -n "$NS" -4 addr show dev eth0 | grep -q 192.168.0.200; then kv=$(( $(ms "$EPOCHREALTIME") - $(ms "$t0") )); break; fi
      sleep 0.02
    done
    ns_down
    echo "keepalived $s: exec->BACKUP seen $kb ms, exec->VIP seen $kv ms"
    echo "$kb $kv" >> "$W/ka"
  done
  awk "$AWK_MEDIAN"'{ b[NR] = $1; v[NR] = $2 } END { n = NR; mb = med(b, n); mv = med(v, n)
    printf "KEEPALIVED medians of %d: exec->BACKUP seen %d ms, exec->VIP seen %d ms (bound 3609: %+d), BACKUP seen->VIP seen %d ms\n", n, mb, mv, mv - 3609, mv - mb }' "$W/ka"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: ${BEFORE_LAUNCHER:+BEFORE_LAUNCHER=$BEFORE_LAUNCHER }${PRIO:+PRIO=\"$PRIO\" }lb-bench/scripts/start-split.sh $PAIRS $SPLITS"

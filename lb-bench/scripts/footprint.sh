#!/bin/bash
# Footprint of a standalone director, lbctl run vs keepalived in the same run (root): RSS of
# every process of the director (all pids of its network namespace, so keepalived's parent and
# VRRP child both count) 3 s after it became MASTER, the time from launch to MASTER (the
# VIP on the interface) against the master-down bound (3 x advert_int + skew = 3.609 s here), and
# the CPU time (user+sys of the namespace's processes, 10 ms ticks) spent when its output first
# says BACKUP (INIT -> BACKUP: start-up done; sampled every 20 ms, so it may include up to 20 ms
# of the idle wait after it) and when it became MASTER: CPU is the fairer number on a loaded machine.
# Each start gets a fresh namespace with a veth pair eth0-eth1: the seed's vrrp_instance alone (BACKUP,
# priority 100, advert 1 s; keepalived refuses the seed's LVS part on a kernel without IPVS, so
# both run the VRRP-only config). Variants, interleaved in each round:
#   java-default   java -jar lbctl.jar run
#   launcher       lb-cli's launcher (lb-cli/bin/lbctl): its JVM settings, and the class-data
#                  sharing archive it builds on its first run as root (built here first)
#   keepalived     keepalived -n -P (VRRP only)
#   before         only with BEFORE_LAUNCHER=/path/to/lbctl: another launcher (with its lbctl.jar next to
#                  it), e.g. an earlier commit's, to compare a change in the same run:
#                    mkdir /tmp/before && git show REV:lb-cli/bin/lbctl > /tmp/before/lbctl && chmod +x /tmp/before/lbctl
#                    (build REV) && cp lb-cli/target/lbctl.jar /tmp/before/  (its archive goes to its own directory)
# PRIO="chrt -f 10" runs every variant (all its threads) at that real-time priority: on a machine loaded by others
# the wall times are then close to a quiet machine's (the kernel's RT throttling keeps 5% for the rest). The script
# itself (its clock reads and its 20 ms polls of the interface) then runs at that priority too: at normal priority on
# a loaded machine the polls lagged by tens to hundreds of ms and made the wall times mostly noise.
# Prints each start and the medians. Bounded: every wait has a deadline.
#
#   [BEFORE_LAUNCHER=...] [PRIO="chrt -f 10"] lb-bench/scripts/footprint.sh [ROUNDS=3]
set -eu
if [ -n "${PRIO:-}" ] && [ -z "${FOOTPRINT_UNDER_PRIO:-}" ]; then
  export FOOTPRINT_UNDER_PRIO=1
  exec $PRIO "$0" "$@"
fi
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
JAR=$PWD/lb-cli/target/lbctl.jar
LAUNCHER=$PWD/lb-cli/bin/lbctl
[ -f "$JAR" ] && [ -x "$LAUNCHER" ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
[ "$(id -u)" = 0 ] || { echo "footprint.sh needs root (namespaces)"; exit 1; }
. lb-bench/scripts/ns-director-lib.sh
ns_director_init lbk-footprint

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

ns_cpu() { echo $(( $(ns_ticks) * 1000 / TCK )); } # CPU ms (user+sys) of every process in NS

# one start: $1 = variant; prints "variant start->MASTER-ms RSS-KB CPU-at-BACKUP-ms CPU-at-MASTER-ms"
one() {
  ns_up "lbkfp-$$-$1"
  rm -f "$W/out" # else the poll below may read the previous start's BACKUP before this one's shell truncates it
  local t0; t0=$(now_ms)
  case "$1" in
    java-default) ip netns exec "$NS" ${PRIO:-} java -jar "$JAR" run "$W/vrrp.conf" --control none >"$W/out" 2>&1 & ;;
    launcher) ip netns exec "$NS" ${PRIO:-} "$LAUNCHER" run "$W/vrrp.conf" --control none >"$W/out" 2>&1 & ;;
    before) ip netns exec "$NS" ${PRIO:-} env LBCTL_CDS_DIR="$W/cds-before" "$BEFORE_LAUNCHER" run "$W/vrrp.conf" --control none \
      >"$W/out" 2>&1 & ;;
    keepalived) ip netns exec "$NS" ${PRIO:-} keepalived -n -l -P -f "$W/vrrp.conf" -p "$W/k.pid" -r "$W/v.pid" \
      -c "$W/c.pid" >"$W/out" 2>&1 & ;;
  esac
  PID=$!
  local master="" cpub="" cpum=""
  for _ in $(seq 1 1500); do # 30 s at most
    if [ -z "$cpub" ] && grep -q BACKUP "$W/out" 2>/dev/null; then cpub=$(ns_cpu); fi
    if ip -n "$NS" -4 addr show dev eth0 | grep -q 192.168.0.200; then
      master=$(( $(now_ms) - t0 )); cpum=$(ns_cpu); break
    fi
    sleep 0.02
  done
  sleep 3
  local rss; rss=$(ns_rss)
  ns_down
  echo "$1 ${master:-none} $rss ${cpub:-none} ${cpum:-none}"
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${PRIO:+, priority: $PRIO}"
# the launcher's first run as root builds its class-data sharing archive (here in this run's own directory,
# not /var/cache/lbkit): do it before measuring
export LBCTL_CDS_DIR=$W/cds
variants="java-default launcher keepalived"
one launcher >/dev/null
if [ -n "${BEFORE_LAUNCHER:-}" ]; then variants="before $variants"; one before >/dev/null; fi
for r in $(seq 1 "$ROUNDS"); do
  for v in $variants; do
    one "$v" | tee -a "$W/all"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk "$AWK_MEDIAN"'
  { n[$1]++; m[$1, n[$1]] = $2; r[$1, n[$1]] = $3; b[$1, n[$1]] = $4; c[$1, n[$1]] = $5 }
  END {
    for (v in n) { for (i = 1; i <= n[v]; i++) { mm[i] = m[v, i]; rr[i] = r[v, i]; bb[i] = b[v, i]; cc[i] = c[v, i] }
      M[v] = med(mm, n[v]); R[v] = med(rr, n[v]) / 1024; B[v] = med(bb, n[v]); C[v] = med(cc, n[v])
      printf "FOOTPRINT %s: start->MASTER median %d ms (bound 3609), RSS median %.1f MB, CPU at BACKUP %d ms, at MASTER %d ms (%d starts)\n", v, M[v], R[v], B[v], C[v], n[v] }
    printf "RATIO launcher/keepalived: RSS %.2f, start->MASTER %.3f; java-default/keepalived: RSS %.2f, start->MASTER %.3f\n",
      R["launcher"] / R["keepalived"], M["launcher"] / M["keepalived"], R["java-default"] / R["keepalived"], M["java-default"] / M["keepalived"]
  }' "$W/all"
echo "command: ${BEFORE_LAUNCHER:+BEFORE_LAUNCHER=$BEFORE_LAUNCHER }${PRIO:+PRIO=\"$PRIO\" }lb-bench/scripts/footprint.sh $ROUNDS"

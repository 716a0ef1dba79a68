#!/usr/bin/env bash
# Chaos / partition run, three modes, each for a third of the time (CHAOS_MODES picks others):
#  - "lbkit" and "mixed": three VRRP routers (VRID 51, VRRPv3, advert_int 1) in network namespaces
#    on one bridge -- three lbctl runs, or lbctl run, keepalived, lbctl run -- under random link
#    cuts, packet loss, delay, kill -9 + restart and SIGSTOP freezes, with the invariants checked
#    about every 300 ms (lb-cli's ChaosDriver: at most one MASTER once healed for 3 x advert +
#    skew, the VIP on exactly the MASTER, status within 1 s, no lost configuration);
#  - "director": lbctl run --dataplane nftables in a namespace with six real servers (HTTP_GET
#    and TCP_CHECK) on 127.0.0.1 there whose backends (backends.py) flap, stall mid-body, send a
#    1 GiB body, accept and never answer, die and come back, chosen at random every 2-5 s
#    (lb-cli's DirectorChaos: status within 1 s, each real server's health in status and weight
#    in the dataplane match its backend within the check's bound, RSS bounded, 1 GiB bodies cut
#    off at connect_timeout, a killed backend seen while others stall).
#
#   lb-bench/scripts/chaos.sh [SECONDS]          (default 600: 200 s per mode)
#   CHAOS_SEED=N CHAOS_MODES=lbkit,mixed,director lb-bench/scripts/chaos.sh 120
#   CHAOS_MODES=director lb-bench/scripts/chaos.sh 200     (one mode, all the time)
#
# Needs root, keepalived, nft, tc and python3 (.ci/run installs them). Packets stay in the
# namespaces it creates (prefix lbt-). Delay uses tc netem where the kernel has it, else a tbf
# queue (up to 1.5 s, overflow dropped): this host's kernel has no sch_netem. The CI form is the
# same test, 60 s per mode (ChaosNetnsTest). Prints one CHAOS line per mode (and any VIOLATION
# lines); exits 1 if an invariant broke. Figures: lb-cli/target/chaos/MODE/summary.txt, logs
# beside them. Build: this worktree's reactor, offline unless MVN_OFFLINE=0; never `mvn install`.
set -euo pipefail
SECONDS_TOTAL=${1:-600}
MODES=${CHAOS_MODES:-lbkit,mixed,director}
n=$(tr ',' '\n' <<<"$MODES" | grep -c .)
per=$(( SECONDS_TOTAL / n ))
cd "$(dirname "$0")/../.."
OFFLINE=$([ "${MVN_OFFLINE:-1}" = 1 ] && echo -o || true)
rm -rf lb-cli/target/chaos
mkdir -p lb-cli/target
seedopt=()
[ -n "${CHAOS_SEED:-}" ] && seedopt=(-Dlbkit.chaos.seed="$CHAOS_SEED")
rc=0
mvn $OFFLINE -B -pl lb-cli -am test -Dtest=ChaosNetnsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlbkit.chaos.seconds="$per" -Dlbkit.chaos.modes="$MODES" "${seedopt[@]}" \
  > lb-cli/target/chaos-mvn.log 2>&1 || rc=1
for m in $(tr ',' ' ' <<<"$MODES"); do
  cat "lb-cli/target/chaos/$m/summary.txt" 2>/dev/null || { echo "CHAOS mode=$m: no summary (see lb-cli/target/chaos-mvn.log)"; rc=1; }
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc

# Shared by the seed scripts on seed-topology.sh's namespaces (sourced; inside the kernel VM
# only): seed-e2e.sh, seed-e2e-keepalived.sh, restart-adoption.sh, lb-bench/scripts/sync-anchor.sh.
# The sourcing script sets $here (tools/e2e) and $root, and adds every process it starts to
# the array pids; stop_started stops only those (never by name).
pids=()
# the lbctl command: $LBCTL (e.g. "java -cp CLASSPATH io.lbkit.cli.Lbctl", as the kernel-tier
# tests set it), else the packaged jar through its launcher lb-cli/bin/lbctl, as a user runs it
# (its JVM options and class-data archives; the archives are built by the launcher's first run
# as root into /var/cache/lbkit, which the kernel VM cannot write: run `lb-cli/bin/lbctl run
# --help` on the host after packaging, else the VM's starts use the JDK's default archive only);
# empty if neither
lbctl=${LBCTL:-}
[ -n "$lbctl" ] || [ ! -f "$root/lb-cli/target/lbctl.jar" ] || lbctl="$root/lb-cli/bin/lbctl"

now_ms() { date +%s%3N; }
wait_for() { # description deadline-seconds command...: polls every WAIT_POLL_S (default 0.2) s
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "TIMEOUT waiting for $what" >&2; return 1; }
    sleep "${WAIT_POLL_S:-0.2}"
  done
}
vip_on() { ip -n "lbe-$1" -o addr show dev eth0 | grep "${vip:-192.168.0.200}/32" >/dev/null; }
stop_started() { # SIGTERM to every pid in pids, SIGKILL to those alive 3 s later; empties pids
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
  pids=()
}

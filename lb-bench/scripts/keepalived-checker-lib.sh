# Sourced (POSIX sh) by checks-vs-keepalived.sh and checks-vm-profile.sh: keepalived's HTTP_GET checker on the
# caller's backends, configured and started the same way for both, and the JVM options `lbctl run` gets.
# The caller defines W (its work directory, holding "addrs": one "ADDRESS PORT" line per backend) and PIDS
# (a space-separated list its cleanup kills with -9).
#
# LBCTL_RUN_JVM_OPTS: what lb-cli/bin/lbctl gives `lbctl run` without --http (how lbkit's checker is shipped: C1
# only, one compiler thread, no PerfData sampler, no monitor deflation or guaranteed-safepoint wake-ups), with the benches' -Xmx256m.
# LBCTL_RUN_C2_JVM_OPTS: the same with C2 back, as `lbctl run --http` gets it (tiered needs 2 compiler threads).
LBCTL_RUN_JVM_OPTS="-Xmx256m -XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -Xss512k -XX:MaxMetaspaceSize=96m -Xshare:auto -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=0 -XX:GuaranteedSafepointInterval=0 -XX:CICompilerCount=1"
LBCTL_RUN_C2_JVM_OPTS="-Xmx256m -XX:+UseSerialGC -Xms8m -XX:TieredStopAtLevel=4 -XX:ReservedCodeCacheSize=16m -Xss512k -XX:MaxMetaspaceSize=96m -Xshare:auto -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=0 -XX:GuaranteedSafepointInterval=0"

# keepalived_checker_start DELAY_LOOP_S LOG: writes $W/keepalived.conf (one virtual server, an HTTP_GET of /health
# per backend of $W/addrs: status 200, connect_timeout 3, retry 1, delay_before_retry 1), starts keepalived's
# checker alone (--check) with its log in LOG, waits up to 60 s for the checker process and sets KPID (the
# parent) and CPID (the checker), both added to PIDS. Exits with keepalived's log when the checker does not start.
keepalived_checker_start() {
  rm -f "$W/c.pid" "$W/k.pid"
  {
    printf 'global_defs {\n router_id bench\n}\nvirtual_server 192.0.2.1 80 {\n delay_loop %s\n lb_algo rr\n lb_kind NAT\n protocol TCP\n' "$1"
    while read -r a p; do
      printf ' real_server %s %s {\n  weight 1\n  HTTP_GET {\n   url {\n    path /health\n    status_code 200\n   }\n   connect_timeout 3\n   retry 1\n   delay_before_retry 1\n  }\n }\n' "$a" "$p"
    done < "$W/addrs"
    echo "}"
  } > "$W/keepalived.conf"
  # its log to a local file (tmpfs in the VM), not to the emulated serial port (with syslog on and no /dev/log,
  # as in the VM, glibc writes each line to /dev/console: one "succeed on service" per real server at start)
  keepalived --dont-fork --log-console --no-syslog --check --use-file "$W/keepalived.conf" --pid "$W/k.pid" \
    --checkers_pid "$W/c.pid" > "$2" 2>&1 &
  KPID=$!
  PIDS="$PIDS $KPID"
  for _i in $(seq 1 300); do [ -s "$W/c.pid" ] && break; sleep 0.2; done
  [ -s "$W/c.pid" ] || { echo "keepalived's checker did not start:"; cat "$2"; exit 1; }
  CPID=$(cat "$W/c.pid")
  PIDS="$PIDS $CPID"
}

# keepalived_checker_stop: SIGTERM to keepalived (KPID), then up to 10 s for it to end
keepalived_checker_stop() {
  kill "$KPID" 2>/dev/null || true
  for _i in $(seq 1 50); do kill -0 "$KPID" 2>/dev/null || break; sleep 0.2; done
}

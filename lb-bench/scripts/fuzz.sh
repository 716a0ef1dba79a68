#!/usr/bin/env bash
# Coverage-guided fuzzing of every Jazzer @FuzzTest target, one after another.
#
#   lb-bench/scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 600)
#
# A normal `mvn verify` only replays each target's committed inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/) in regression mode; this script runs
# them with JAZZER_FUZZ=1, one JVM per target for the whole time: each module is built once
# through the reactor (`test-compile` + its test class path), then FuzzRun.java (next to this
# script) runs the @FuzzTest method with `-max_total_time=SECONDS`, which overrides the
# annotation's 60 s bound. The corpus grows in <module>/.cifuzz-corpus/ (git-ignored) and a
# later run resumes from it. A finding (exception, timeout, out-of-memory, slow unit) stops that
# target: Jazzer writes its input as crash-<sha1> (or slow-unit-<sha1>) into the target's Inputs
# directory, where every later build replays it; fix the bug and commit the input as the
# regression test.
#
# Near-hangs: libFuzzer reports an input slower than SLOW_UNIT_S seconds (default 10) as a
# "Slowest unit" and writes it out; on a machine loaded by other work a scheduling stall can
# pass that bound, so SLOW_UNIT_S=30 is the honest setting there (say which you used). The hard
# per-input limit is libFuzzer's -timeout (default 1200 s).
#
# Prints one line per target and a last line "FUZZ targets=N findings=M"; exits 1 if M > 0.
# ONLY=REGEX fuzzes only the targets whose "Class#method" matches. Logs:
# target/fuzz/<Class>_<method>.log. Build: your worktree's reactor, offline unless
# MVN_OFFLINE=0; never `mvn install`.
set -euo pipefail
SECONDS_PER_TARGET=${1:-600}
SLOW_UNIT_S=${SLOW_UNIT_S:-10}
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OFFLINE=$([ "${MVN_OFFLINE:-1}" = 1 ] && echo -o || true)
LOGS=$ROOT/target/fuzz
mkdir -p "$LOGS"

# module class method
TARGETS=(
  "lb-config-keepalived io.lbkit.config.keepalived.ConfigParseFuzzTest parse_anyText_givesSpecAndDiagnostics"
  "lb-vrrp io.lbkit.vrrp.internal.VrrpDecodeFuzzTest decode_anyBytes_returnsPacketOrDropReason"
  "lb-netlink io.lbkit.netlink.internal.NetlinkDecodeFuzzTest ipvs_anyBytes_decodesOrThrowsProtocolException"
  "lb-netlink io.lbkit.netlink.internal.NetlinkDecodeFuzzTest rtnl_anyBytes_decodesOrThrowsProtocolException"
  "lb-nftables io.lbkit.nftables.internal.NftDecodeFuzzTest decode_anyBytes_decodesOrThrowsProtocolException"
  "lb-checks io.lbkit.checks.internal.DialogFuzzTest http_anyResponse_endsInAVerdict"
  "lb-checks io.lbkit.checks.internal.DialogFuzzTest smtp_anyReplies_endInAVerdict"
  "lb-checks io.lbkit.checks.internal.DialogFuzzTest dns_anyReply_isAVerdictOrNotOurs"
)
total_findings=0
ran=0
built=" "
for t in "${TARGETS[@]}"; do
  read -r module fqcn method <<<"$t"
  class=${fqcn##*.}
  if [ -n "${ONLY:-}" ] && ! grep -qE "$ONLY" <<<"$class#$method"; then continue; fi
  ran=$(( ran + 1 ))
  cpfile=$LOGS/classpath-$module.txt
  if [[ "$built" != *" $module "* ]]; then
    mvn $OFFLINE -q -B -pl "$module" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >"$LOGS/build-$module.log" 2>&1
    built="$built$module "
  fi
  cp="target/test-classes:target/classes:$(cat "$cpfile")"
  log=$LOGS/${class}_${method}.log
  status=ok
  # the wall-clock bound: fuzzing time plus JVM start-up and instrumentation on a loaded machine
  if ! (cd "$ROOT/$module" && JAZZER_FUZZ=1 timeout --signal=KILL $(( SECONDS_PER_TARGET + 600 )) \
      java -cp "$cp" "$ROOT/lb-bench/scripts/FuzzRun.java" "$fqcn" "$method" \
      -max_total_time="$SECONDS_PER_TARGET" -report_slow_units="$SLOW_UNIT_S") >"$log" 2>&1; then
    status=failed
  fi
  execs=0; secs=0; cov=?; ft=?; corp=?; slow=0; findings=0
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  if [ -n "$done_line" ]; then
    execs=$(awk '{print $2}' <<<"$done_line")
    secs=$(awk '{print $5}' <<<"$done_line")
  fi
  stat=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse)[[:space:]]+cov:' "$log" | tail -1 || true)
  if [ -n "$stat" ]; then
    cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$stat")
    ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$stat")
    corp=$(sed -E 's/.* corp: ([0-9]+)\/.*/\1/' <<<"$stat")
  fi
  s_=$(grep -a -o -E 'Slowest unit: [0-9]+ s' "$log" | awk '{print $3}' | sort -n | tail -1 || true)
  if [ -n "$s_" ]; then slow=$s_; fi
  n=$(grep -a -c -E 'Test unit written to|== Java Exception:|ERROR: libFuzzer: (timeout|out-of-memory)' "$log" || true)
  if [ "$n" -gt 0 ] || [ "$status" = failed ]; then
    findings=1
    status="finding (see $log)"
  fi
  total_findings=$(( total_findings + findings ))
  printf 'FUZZ %s#%s seconds=%d executions=%d cov=%s features=%s corpus=%s slowest_unit_s=%d findings=%d %s\n' \
    "$class" "$method" "$secs" "$execs" "$cov" "$ft" "$corp" "$slow" "$findings" "$status"
done
echo "FUZZ targets=$ran findings=$total_findings"
[ "$total_findings" -eq 0 ]

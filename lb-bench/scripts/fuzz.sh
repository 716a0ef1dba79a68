#!/usr/bin/env bash
# Coverage-guided fuzzing of every Jazzer @FuzzTest target, one after another.
#
#   lb-bench/scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 600)
#
# A normal `mvn verify` only replays each target's committed inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/) in regression mode; this script runs
# them with JAZZER_FUZZ=1. The @FuzzTest annotations bound one fuzzing run to 60 s
# (Jazzer's JUnit integration has no runtime override of maxDuration), so a target gets
# ceil(SECONDS/60) runs in a row; each run resumes from the corpus the previous ones grew
# (<module>/.cifuzz-corpus/, git-ignored). A finding (exception, timeout, out-of-memory) stops
# that target: Jazzer writes its input as crash-<sha1> into the target's Inputs directory,
# where every later build replays it; fix the bug and commit the input as the regression test.
#
# Jazzer's per-input hang limit is libFuzzer's default (-timeout=1200 s, longer than a run), so
# near-hangs show as slowest_unit_s (libFuzzer's "Slowest unit", reported from 10 s up).
#
# Prints one line per target and a last line "FUZZ targets=N findings=M"; exits 1 if M > 0.
# Logs: target/fuzz/<Class>_<method>.<round>.log. Build: your worktree's reactor, offline
# unless MVN_OFFLINE=0; never `mvn install`.
set -euo pipefail
SECONDS_PER_TARGET=${1:-600}
ROUND=60
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OFFLINE=$([ "${MVN_OFFLINE:-1}" = 1 ] && echo -o || true)
LOGS=$ROOT/target/fuzz
mkdir -p "$LOGS"

# module class method
TARGETS=(
  "lb-config-keepalived ConfigParseFuzzTest parse_anyText_givesSpecAndDiagnostics"
  "lb-vrrp VrrpDecodeFuzzTest decode_anyBytes_returnsPacketOrDropReason"
  "lb-netlink NetlinkDecodeFuzzTest ipvs_anyBytes_decodesOrThrowsProtocolException"
  "lb-netlink NetlinkDecodeFuzzTest rtnl_anyBytes_decodesOrThrowsProtocolException"
  "lb-nftables NftDecodeFuzzTest decode_anyBytes_decodesOrThrowsProtocolException"
  "lb-checks DialogFuzzTest http_anyResponse_endsInAVerdict"
  "lb-checks DialogFuzzTest smtp_anyReplies_endInAVerdict"
  "lb-checks DialogFuzzTest dns_anyReply_isAVerdictOrNotOurs"
)
rounds=$(( (SECONDS_PER_TARGET + ROUND - 1) / ROUND ))
total_findings=0
for t in "${TARGETS[@]}"; do
  read -r module class method <<<"$t"
  execs=0; secs=0; cov=?; ft=?; corp=?; slow=0; findings=0; status=ok
  for ((r = 1; r <= rounds; r++)); do
    log=$LOGS/${class}_${method}.$r.log
    if ! JAZZER_FUZZ=1 mvn $OFFLINE -B -pl "$module" -am test -Dtest="$class#$method" \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
      status=failed
    fi
    done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
    if [ -n "$done_line" ]; then
      execs=$(( execs + $(awk '{print $2}' <<<"$done_line") ))
      secs=$(( secs + $(awk '{print $5}' <<<"$done_line") ))
    fi
    stat=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse)[[:space:]]+cov:' "$log" | tail -1 || true)
    if [ -n "$stat" ]; then
      cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$stat")
      ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$stat")
      corp=$(sed -E 's/.* corp: ([0-9]+)\/.*/\1/' <<<"$stat")
    fi
    # libFuzzer reports an input slower than 10 s as "Slowest unit: N s:" (a near-hang)
    s_=$(grep -a -o -E 'Slowest unit: [0-9]+ s' "$log" | awk '{print $3}' | sort -n | tail -1 || true)
    if [ -n "$s_" ] && [ "$s_" -gt "$slow" ]; then slow=$s_; fi
    n=$(grep -a -c -E 'Test unit written to|== Java Exception:|ERROR: libFuzzer: (timeout|out-of-memory)' "$log" || true)
    if [ "$n" -gt 0 ] || [ "$status" = failed ]; then
      findings=$(( findings + 1 ))
      status="finding (see $log)"
      break
    fi
  done
  total_findings=$(( total_findings + findings ))
  printf 'FUZZ %s#%s seconds=%d executions=%d cov=%s features=%s corpus=%s slowest_unit_s=%d findings=%d %s\n' \
    "$class" "$method" "$secs" "$execs" "$cov" "$ft" "$corp" "$slow" "$findings" "$status"
done
echo "FUZZ targets=${#TARGETS[@]} findings=$total_findings"
[ "$total_findings" -eq 0 ]

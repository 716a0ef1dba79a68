#!/bin/bash
# `lbctl check` vs `keepalived -t` on a plain 10,000 x 10 keepalived.conf (10,000 virtual servers
# written out, no ~SEQ, each with 10 real servers with a weight and a TCP_CHECK; 660,000 lines,
# 10 MB), both as whole processes in the same run, interleaved, each under /usr/bin/time -v:
# wall time, CPU (user+sys: the fairer number on a loaded machine) and peak RSS. lbctl runs
# two ways: its launcher (lb-cli/bin/lbctl: SerialGC, C1, its class-data sharing archive) and
# `java -jar lbctl.jar`; the parse time is not counted separately (JVM start included, as a user
# sees it). Each round also times `check` of an empty file (the fixed start-up: JVM, picocli, the
# parser's classes). With BEFORE_LAUNCHER=/path/to/lbctl (an earlier commit's launcher with its
# lbctl.jar next to it, as in footprint.sh) a "before" variant runs the same, for a change's
# before/after in one run.
#
#   [BEFORE_LAUNCHER=...] lb-bench/scripts/check-vs-keepalived.sh [RUNS=3] [SERVICES=10000]
#
# keepalived -t only parses (it changes nothing); each run has a 10-minute deadline.
set -eu
cd "$(dirname "$0")/../.."
RUNS=${1:-3}; SVC=${2:-10000}
JAR=$PWD/lb-cli/target/lbctl.jar
[ -f "$JAR" ] || mvn -o -B -q -pl lb-cli -am package -DskipTests
W=$(mktemp -d /tmp/lbk-check-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
export LBCTL_CDS_DIR=$W/cds
awk -v n="$SVC" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "virtual_server 10.%d.%d.%d 80 {\n  delay_loop 6\n  lvs_sched rr\n  lvs_method DR\n  protocol TCP\n", int(i / 62500), int(i / 250) % 250, i % 250 + 1
    for (j = 0; j < 10; j++) { g = i * 10 + j
      printf "  real_server 10.%d.%d.%d 80 {\n    weight 1\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n", 128 + int(g / 64516), int(g / 254) % 254, g % 254 + 1 }
    printf "}\n" } }' > "$W/plain.conf"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(wc -l < "$W/plain.conf") lines, $(stat -c %s "$W/plain.conf") bytes"
lb-cli/bin/lbctl --version >/dev/null # the launcher's first run builds its class-data sharing archive
[ -z "${BEFORE_LAUNCHER:-}" ] || LBCTL_CDS_DIR=$W/cds-before "$BEFORE_LAUNCHER" --version >/dev/null
: > "$W/empty.conf"
KA=$(command -v keepalived || echo /usr/sbin/keepalived)
measure() { # name command...: prints "name wall cpu rssKB exit"
  local name=$1; shift
  local rc=0
  /usr/bin/time -v -o "$W/t" timeout 600 "$@" >/dev/null 2>"$W/err" || rc=$?
  awk -v n="$name" -v rc="$rc" -F': ' '/Elapsed \(wall/ { split($2, a, ":"); w = (length(a) == 3 ? a[1] * 3600 + a[2] * 60 + a[3] : a[1] * 60 + a[2]) }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { printf "%s %.2f %.2f %d %d\n", n, w, u + s, r, rc }' "$W/t"
}
for i in $(seq 1 "$RUNS"); do
  measure keepalived "$KA" -t -l -n -f "$W/plain.conf" | tee -a "$W/all"
  measure launcher lb-cli/bin/lbctl check "$W/plain.conf" | tee -a "$W/all"
  measure java-jar java -jar "$JAR" check "$W/plain.conf" | tee -a "$W/all"
  measure empty-launcher lb-cli/bin/lbctl check "$W/empty.conf" | tee -a "$W/all"
  if [ -n "${BEFORE_LAUNCHER:-}" ]; then
    measure before env LBCTL_CDS_DIR="$W/cds-before" "$BEFORE_LAUNCHER" check "$W/plain.conf" | tee -a "$W/all"
    measure empty-before env LBCTL_CDS_DIR="$W/cds-before" "$BEFORE_LAUNCHER" check "$W/empty.conf" | tee -a "$W/all"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk 'function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { c[$1]++; W[$1, c[$1]] = $2; C[$1, c[$1]] = $3; R[$1, c[$1]] = $4 }
  END { for (v in c) { for (i = 1; i <= c[v]; i++) { w[i] = W[v, i]; cc[i] = C[v, i]; r[i] = R[v, i] }
          mw[v] = med(w, c[v]); mc[v] = med(cc, c[v]); mr[v] = med(r, c[v]) / 1024
          printf "CHECK %s: median wall %.2f s, CPU %.2f s, peak RSS %.0f MB (%d runs)\n", v, mw[v], mc[v], mr[v], c[v] }
        for (v in c) if (v != "keepalived" && v !~ /^empty/) printf "RATIO %s/keepalived: wall %.2f, CPU %.2f, RSS %.2f\n", v, mw[v] / mw["keepalived"], mc[v] / mc["keepalived"], mr[v] / mr["keepalived"] }' "$W/all"
echo "command: ${BEFORE_LAUNCHER:+BEFORE_LAUNCHER=$BEFORE_LAUNCHER }lb-bench/scripts/check-vs-keepalived.sh $RUNS $SVC"

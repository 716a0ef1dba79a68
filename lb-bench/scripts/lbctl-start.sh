#!/usr/bin/env bash
# The JVM's own start-up: the part of a director's start -> MASTER that is not lbkit's code.
# N starts (default 4) of each command below, one after the other; the first start is shown
# apart (in a fresh kernel VM the jar and the JDK come cold through 9p), then min / median /
# max of the others; wall and CPU (user + sys, from bash's time):
#   keepalived --version            the anchor: a native program's start
#   plain   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar lbctl.jar --version
#           (what tools/e2e started before it took the launcher: the JDK's default CDS archive only)
#   lbctl --version                 through the launcher lb-cli/bin/lbctl: its options and its "cli" archive
#   lbctl check EMPTY               the same, plus picocli's command and the parser on an empty file
#   lbctl run --help                the launcher's "run" options and archive (a `run` start up to its first line)
# and which archives the launcher finds: it builds them on its first run as root into
# /var/cache/lbkit, which the kernel VM (root file system read-only) cannot write: build them
# on the host first (`lb-cli/bin/lbctl run --help; lb-cli/bin/lbctl --version` as root). "archived"
# counts lbkit's and picocli's classes the start took from a CDS archive (0: none used).
# Runs anywhere (host or tools/kernel-vm/vm-run); build first: mvn -o -B -q -pl lb-cli -am package -DskipTests
#   bash lb-bench/scripts/lbctl-start.sh [N]
set -euo pipefail
n=${1:-4}
cd "$(dirname "$0")/../.."
jar=lb-cli/target/lbctl.jar
[ -f "$jar" ] || { echo "lbctl-start: build first (mvn -o -B -q -pl lb-cli -am package -DskipTests)" >&2; exit 125; }
launcher=lb-cli/bin/lbctl
out=$(mktemp -d /tmp/lbctl-start.XXXXXX)
trap 'rm -rf "$out"' EXIT
: > "$out/empty.conf"
TIMEFORMAT='%R %U %S'
measure() { # name command...: n starts, one "wall cpu" line (seconds) each into $out/name
  local name=$1 i; shift
  for i in $(seq "$n"); do
    { time "$@" > /dev/null 2>&1; } 2>> "$out/$name.raw" || true
  done
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$out/$name.raw" > "$out/$name"
}
stats() { # file column: min median max of lines 2..n
  tail -n +2 "$1" | awk -v c="$2" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}
archived() { # command...: classes of io.lbkit and picocli loaded from a CDS archive
  LBCTL_JAVA_OPTS="-Xlog:class+load=info" "$@" 2>/dev/null | grep -E '^\[.*(io\.lbkit|picocli)\..* source: shared objects file' \
    | wc -l || true
}
where=host; [ "${LBKIT_IN_VM:-}" = 1 ] && where=vm
echo "lbctl-start ($where, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $n starts each; $(java -version 2>&1 | head -1))"
echo "lbkit/picocli classes from a CDS archive: lbctl --version $(archived "$launcher" --version)," \
  "lbctl run --help $(archived "$launcher" run --help), plain $(archived java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" --version)"
measure keepalived keepalived --version
measure plain java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" --version
measure version "$launcher" --version
measure check "$launcher" check "$out/empty.conf"
measure runhelp "$launcher" run --help
printf '%-18s %16s %26s %14s\n' "seconds" "first wall/cpu" "later wall min/med/max" "later cpu med"
for c in keepalived plain version check runhelp; do # (here-strings, not <(...): the kernel VM has no /dev/fd)
  read -r fw fc <<<"$(head -1 "$out/$c")"
  read -r _ wm _ <<<"$(stats "$out/$c" 1)"
  read -r wmin _ wmax <<<"$(stats "$out/$c" 1)"
  read -r _ cm _ <<<"$(stats "$out/$c" 2)"
  printf '%-18s %16s %26s %14s\n' "$c" "$fw/$fc" "$wmin/$wm/$wmax" "$cm"
  echo "LBCTL_START $where $c first_wall=$fw first_cpu=$fc wall_med=$wm cpu_med=$cm"
done

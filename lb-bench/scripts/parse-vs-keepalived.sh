#!/bin/bash
# Parse speed: lbkit vs keepalived -t on the same 65,024-instance config made with ~SEQ
# (the example in keepalived.conf(5)). Both are timed in this one run, as whole processes
# (lbkit's JVM start included), and the ratios keepalived/lbkit of wall time and of CPU
# time (user+sys, which is the fairer number on a loaded machine) are printed.
#
#   lb-bench/scripts/parse-vs-keepalived.sh [RUNS]
#
# Needs: keepalived on the PATH (Debian's package), the modules compiled
# (mvn -o -q -pl lb-config-keepalived -am compile). keepalived -t only parses and reads the
# interface list (it changes nothing); it runs with a deadline. LBK_NETNS=1 runs it in a
# fresh network namespace instead, where keepalived 2.2.7 is about 10x slower on this
# file (measured 564 s vs ~60 s), so the default keeps the fair comparison.
set -eu
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
WORK=$(mktemp -d /tmp/lbk-parse-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CP=lb-config-keepalived/target/classes:lb-api/target/classes:$WORK/classes
mkdir -p "$WORK/classes"
javac -q -d "$WORK/classes" -cp "$CP" lb-bench/src/main/java/io/lbkit/bench/config/BigConfig.java \
  lb-bench/src/main/java/io/lbkit/bench/config/ParseKeepalivedConf.java 2>/dev/null || \
  javac -d "$WORK/classes" -cp "$CP" lb-bench/src/main/java/io/lbkit/bench/config/BigConfig.java \
  lb-bench/src/main/java/io/lbkit/bench/config/ParseKeepalivedConf.java
CONF=$WORK/big.conf
java -cp "$CP" io.lbkit.bench.config.BigConfig "$CONF"
KA=keepalived
command -v keepalived >/dev/null 2>&1 || KA=/usr/sbin/keepalived
NS=""
if [ "${LBK_NETNS:-0}" = 1 ] && [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then NS="unshare --net"; fi

TIMEFORMAT='%R %U %S'
best_k=""; best_l=""; best_kc=""; best_lc=""
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
i=1
while [ "$i" -le "$RUNS" ]; do
  kt=$( { time timeout 600 $NS $KA -t -l -G -n -i bench -f "$CONF" > "$WORK/k.out" 2>&1; } 2>&1 ) || true
  lt=$( { time timeout 600 java -cp "$CP" io.lbkit.bench.config.ParseKeepalivedConf "$CONF" bench \
    > "$WORK/l.out"; } 2>&1 )
  set -- $kt; k=$1; kc=$(echo "$2 + $3" | bc)
  set -- $lt; l=$1; lc=$(echo "$2 + $3" | bc)
  echo "run $i: keepalived -t wall ${k}s cpu ${kc}s; lbkit wall ${l}s cpu ${lc}s  ($(cat "$WORK/l.out"))"
  best_k=$(min "$best_k" "$k"); best_l=$(min "$best_l" "$l")
  best_kc=$(min "$best_kc" "$kc"); best_lc=$(min "$best_lc" "$lc")
  i=$((i + 1))
done
echo "keepalived -t printed $(grep -c '' "$WORK/k.out") lines (missing-interface warnings for bond*); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "best of $RUNS: keepalived -t wall ${best_k}s cpu ${best_kc}s; lbkit wall ${best_l}s cpu ${best_lc}s"
echo "ratio keepalived/lbkit: wall $(echo "scale=2; $best_k / $best_l" | bc), cpu $(echo "scale=2; $best_kc / $best_lc" | bc)"

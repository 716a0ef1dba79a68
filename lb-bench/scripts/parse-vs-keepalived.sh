#!/bin/sh
# Parse speed: lbkit vs keepalived -t on the same 65,024-instance config made with ~SEQ
# (the example in keepalived.conf(5)). Both are timed in this one run, as whole processes
# (lbkit's JVM start included), and the ratio keepalived/lbkit is printed.
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

now() { date +%s.%N; }
best_k=""; best_l=""
i=1
while [ "$i" -le "$RUNS" ]; do
  t0=$(now)
  timeout 600 $NS $KA -t -l -G -n -i bench -f "$CONF" > "$WORK/k.out" 2>&1 || true
  t1=$(now)
  timeout 600 java -cp "$CP" io.lbkit.bench.config.ParseKeepalivedConf "$CONF" bench > "$WORK/l.out"
  t2=$(now)
  k=$(echo "$t1 - $t0" | bc); l=$(echo "$t2 - $t1" | bc)
  echo "run $i: keepalived -t ${k}s, lbkit ${l}s   ($(cat "$WORK/l.out"))"
  if [ -z "$best_k" ] || [ "$(echo "$k < $best_k" | bc)" = 1 ]; then best_k=$k; fi
  if [ -z "$best_l" ] || [ "$(echo "$l < $best_l" | bc)" = 1 ]; then best_l=$l; fi
  i=$((i + 1))
done
echo "keepalived -t reported $(grep -c '' "$WORK/k.out") lines (missing-interface warnings for bond*)"
echo "best of $RUNS: keepalived -t ${best_k}s, lbkit ${best_l}s, ratio keepalived/lbkit = $(echo "scale=2; $best_k / $best_l" | bc)"

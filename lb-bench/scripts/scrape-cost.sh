#!/bin/bash
# ScrapeCost (io.lbkit.bench.metrics.ScrapeCost: CPU and allocation of one /metrics scrape) under the JVM
# options lb-cli/bin/lbctl gives `lbctl run --http` (read from the launcher itself: it is run with a stand-in
# java that prints the options it was given, no class-data archive, LBCTL_JAVA_OPTS unset), then under the
# JVM's defaults, in one run; the load average before each. ScrapeCost's arguments are passed on.
#
#   lb-bench/scripts/scrape-cost.sh [REALS,...] [SCRAPES] [WARMUP] [MODE,...]
#   e.g. lb-bench/scripts/scrape-cost.sh 1000,10000 20 30 lbctl,lbctl-busy,lbctl-detail,meters
# BENCH=path/to/benchmarks.jar measures another build (e.g. a before); VARIANTS="launcher default" by default
# (also: launcher-c1, the options of `run` without --http).
set -eu
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-lb-bench/target/benchmarks.jar}
[ -f "$BENCH" ] || mvn -o -B -q -pl lb-bench -am package -DskipTests
W=$(mktemp -d /tmp/lbk-scrapecost.XXXXXX)
trap 'rm -rf "$W"' EXIT
printf '#!/bin/sh\nfor a in "$@"; do [ "$a" = -jar ] && break; printf "%%s\\n" "$a"; done\n' > "$W/java"
chmod +x "$W/java"
# the launcher's options for a subcommand line: $@
launcher_opts() {
  env -u LBCTL_JAVA_OPTS JAVA="$W/java" LBCTL_CDS=0 LBCTL_JAR="$BENCH" lb-cli/bin/lbctl "$@" | tr '\n' ' '
}
for v in ${VARIANTS:-launcher default}; do
  case "$v" in
    launcher) opts=$(launcher_opts run x.conf --http 127.0.0.1:9100) ;;
    launcher-c1) opts=$(launcher_opts run x.conf) ;;
    default) opts="" ;;
    *) echo "variant: launcher, launcher-c1 or default, not $v" >&2; exit 2 ;;
  esac
  echo "== $v: java ${opts:-(defaults)}; load $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086 # the options are words
  java $opts -cp "$BENCH" io.lbkit.bench.metrics.ScrapeCost "$@"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

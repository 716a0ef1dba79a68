#!/usr/bin/env bash
# What picocli alone costs in `lbctl run`'s start, against the JVM's own start and lbctl's path (root: the launcher
# builds its run archive as root). Every variant runs under the exact JVM options the launcher gives `run` (read from
# the launcher's own exec line) and prints the wall clock at points of its main; exec -> that point is measured
# against bash's $EPOCHREALTIME just before the exec (no process). Interleaved, ROUNDS rounds, medians:
#   floor       a trivial main (the JDK's default archive): exec -> main, the JVM's own start
#   floor+jar   the same with lbctl.jar first on the class path: the JVM opens it and reads its directory to look
#               for the class (the cost of the 24 MB jar's 13,000 entries)
#   floor+arch  the same with the launcher's run archive (19 MB, mapped and relocated) and the jar
#   floor+arch0 the same with the archive at its fixed address (-XX:ArchiveRelocationMode=0: no relocation)
#   picocli     picocli-floor/PicocliAlone.java (nothing of lbkit's: a model shaped like RunSpec's, the same API,
#               parses `run FILE --control none`) with an archive of its own classes: exec -> main, -> parsed
#   picocli-noarch  the same with the JDK's default archive only (picocli's classes read from its jar)
#   lbctl       lbctl's own path to parsed (picocli-floor/LbctlParsed.java: Lbctl.commandLine + parseArgs, the
#               warm-up thread started as main does) with the launcher's run archive: exec -> main, -> parsed
#   lbctl-nowarm  the same with -Dlbctl.warmup=false
#               (lbctl and lbctl-nowarm also: exec -> the libraries the start needs next initialised, the warm-up
#               thread's classes: slf4j-simple, JNA and lbkit's C bindings; joined, or after the parse on main)
#   lbctl-libsonly  lbctl's jar and archive, no picocli: only those libraries initialised on main (their own cost)
# Each line: exec->main, exec->parsed, and the main thread's CPU at parsed (ms, /proc/thread-self/schedstat: a
# load-insensitive figure). Under PRIO="chrt -f 10" on a loaded machine (re-execs itself at that priority).
#   [PRIO="chrt -f 10"] lb-bench/scripts/picocli-floor.sh [ROUNDS=10]
set -euo pipefail
if [ -n "${PRIO:-}" ] && [ -z "${FLOOR_UNDER_PRIO:-}" ]; then
  export FLOOR_UNDER_PRIO=1
  exec $PRIO "$0" "$@"
fi
cd "$(dirname "$0")/../.."
ROUNDS=${1:-10}
JAR=$PWD/lb-cli/target/lbctl.jar
[ -f "$JAR" ] || { echo "build first: mvn -o -B -q -pl lb-cli -am package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "picocli-floor.sh needs root (the launcher's run archive)" >&2; exit 1; }
W=$(mktemp -d /tmp/lbk-floor.XXXXXX)
trap 'rm -rf "$W"' EXIT
SRC=$PWD/lb-bench/scripts/picocli-floor

# the launcher's exact options for run (its exec line; `run --help` as root builds the run archive first)
line=$(LBCTL_CDS_DIR=$W/cds sh -x lb-cli/bin/lbctl run --help 2>&1 >/dev/null | grep -a '^+ exec ' | tail -1)
read -r -a words <<< "${line#+ exec }"
OPTS=()
for a in "${words[@]:1}"; do case $a in -jar|-cp) break ;; esac; OPTS+=("$a"); done
ARCH=""; PLAIN=()
for a in "${OPTS[@]}"; do case $a in -XX:SharedArchiveFile=*) ARCH=${a#*=} ;; *) PLAIN+=("$a") ;; esac; done
[ -n "$ARCH" ] || { echo "the launcher gave no run archive" >&2; exit 1; }
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)${PRIO:+, priority: $PRIO}"
echo "run's options: ${OPTS[*]}"

# picocli's jar out of lbctl.jar; the two programs; picocli's own archive from a training run of PicocliAlone
mkdir -p "$W/pico/x" "$W/cls" "$W/probe" "$W/floor"
(cd "$W/pico/x" && unzip -q "$JAR" 'picocli/*' && jar cf "$W/picocli.jar" picocli)
javac -XDstringConcat=inline -cp "$W/picocli.jar" -d "$W/cls" "$SRC/PicocliAlone.java"
jar cf "$W/alone.jar" -C "$W/cls" .
javac -XDstringConcat=inline -cp "$JAR" -d "$W/probe" "$SRC/LbctlParsed.java"
printf 'public class Floor { public static void main(String[] a) { System.out.println("T " + System.currentTimeMillis()); } }\n' \
  > "$W/floor/Floor.java"
javac -d "$W/floor" "$W/floor/Floor.java"
ARGS=(run /nonexistent.conf --control none)
PCP="$W/picocli.jar:$W/alone.jar"
java "${PLAIN[@]}" -XX:DumpLoadedClassList="$W/alone.lst" -cp "$PCP" PicocliAlone "${ARGS[@]}" > /dev/null
java "${PLAIN[@]}" -Xshare:dump -XX:SharedClassListFile="$W/alone.lst" -XX:SharedArchiveFile="$W/alone.jsa" -cp "$PCP" \
  > /dev/null 2>&1

ms() { local s=${1%.*} f=${1#*.}; echo $(( s * 1000 + 10#${f:0:3} )); }
# one NAME CMD...: "NAME exec->main exec->parsed cpu exec->ready" ("-" for the trivial main)
one() {
  local k=$1 t0 out e; shift
  t0=$EPOCHREALTIME
  out=$("$@" | grep '^T ') || { echo "$k failed" >&2; return 1; }
  e=$(ms "$t0")
  set -- $out
  if [ $# -ge 7 ]; then echo "$k $(( $2 - e )) $(( $5 - e )) $7 $(( $6 - e ))"; else echo "$k $(( $2 - e )) - - -"; fi
}
: > "$W/all"
for ((r = 1; r <= ROUNDS; r++)); do
  {
    one floor java "${PLAIN[@]}" -cp "$W/floor" Floor
    one floor+jar java "${PLAIN[@]}" -cp "$JAR:$W/floor" Floor
    one floor+arch java "${PLAIN[@]}" -XX:SharedArchiveFile="$ARCH" -cp "$JAR:$W/floor" Floor
    one floor+arch0 java "${PLAIN[@]}" -XX:SharedArchiveFile="$ARCH" -XX:+UnlockDiagnosticVMOptions \
      -XX:ArchiveRelocationMode=0 -cp "$JAR:$W/floor" Floor
    one picocli java "${PLAIN[@]}" -XX:SharedArchiveFile="$W/alone.jsa" -cp "$PCP" PicocliAlone "${ARGS[@]}"
    one picocli-noarch java "${PLAIN[@]}" -cp "$PCP" PicocliAlone "${ARGS[@]}"
    one lbctl java "${OPTS[@]}" -cp "$JAR:$W/probe" io.lbkit.cli.LbctlParsed "${ARGS[@]}"
    one lbctl-nowarm java "${OPTS[@]}" -Dlbctl.warmup=false -cp "$JAR:$W/probe" io.lbkit.cli.LbctlParsed "${ARGS[@]}"
    one lbctl-libsonly java "${OPTS[@]}" -Dprobe.librariesOnly=true -cp "$JAR:$W/probe" io.lbkit.cli.LbctlParsed "${ARGS[@]}"
  } | tee -a "$W/all" | tr '\n' ';'
  echo
done
# the libraries one by one (each class's initialisation on main, no warm-up thread; medians)
for ((r = 1; r <= ROUNDS; r++)); do
  java "${OPTS[@]}" -Dlbctl.warmup=false -cp "$JAR:$W/probe" io.lbkit.cli.LbctlParsed "${ARGS[@]}" | grep '^L '
done | awk '{ k = $2; if (!(k in n)) order[++ko] = k; v[k, ++n[k]] = $3 }
  END { for (o = 1; o <= ko; o++) { k = order[o]; m = n[k]; split("", a); for (i = 1; i <= m; i++) a[i] = v[k, i]
          for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
          printf "LIBRARY %-40s initialised in %d ms (median of %d, after the parse, on main)\n", k, a[int((m + 1) / 2)], m } }'
awk 'function med(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
       return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $1; if (!(k in n)) order[++ko] = k; n[k]++; m[k, n[k]] = $2; p[k, n[k]] = $3; c[k, n[k]] = $4; r[k, n[k]] = $5 }
  END { for (o = 1; o <= ko; o++) { k = order[o]; split("", a); split("", b); split("", d); split("", e)
          for (i = 1; i <= n[k]; i++) { a[i] = m[k, i]; b[i] = p[k, i]; d[i] = c[k, i]; e[i] = r[k, i] }
          if (p[k, 1] == "-") printf "MEDIAN %-15s exec->main %4d ms (%d runs)\n", k, med(a, n[k]), n[k]
          else printf "MEDIAN %-15s exec->main %4d ms, exec->parsed %4d ms (main->parsed %d), main thread CPU %d ms (%d runs)\n",
            k, med(a, n[k]), med(b, n[k]), med(b, n[k]) - med(a, n[k]), med(d, n[k]), n[k]
          if (k ~ /^lbctl/) printf "MEDIAN %-15s exec->libraries ready (slf4j-simple, JNA, lbkit C bindings) %d ms\n", k, med(e, n[k]) } }' "$W/all"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

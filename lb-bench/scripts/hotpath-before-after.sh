#!/usr/bin/env bash
# Hot paths with metrics off, before and after the observability hooks (issue 15):
# allocation (JMH -prof gc, gc.alloc.rate.norm, B/op) and time per operation of
#   - AdvertBenchmark.masterSend     one advert interval of a VRRP master (timer -> encode -> channel send)
#   - AdvertBenchmark.backupReceive  one advert received by a backup (decode, demultiplex, FSM)
#   - CheckBenchmark.oneCheck        one HTTP_GET and one TCP_CHECK of a backend on 127.0.0.1
#                                    (scripts/backends.c in its own process)
# each with no listener, observer or metrics attached.
#
#   lb-bench/scripts/hotpath-before-after.sh [BEFORE_COMMIT] [ROUNDS]
#
# BEFORE_COMMIT (default 53f3c62, the parent of bbeac5b "Listener hooks for metrics") is
# checked out detached in a temporary git worktree, the two benchmark sources are copied
# into it (their API is the same there), and both trees' lb-bench jars are built through
# their own reactor (no install). The runs alternate before, after, before, after...
# (ROUNDS pairs, default 2) in this one invocation; the table gives each side's mean of
# its rounds and every round's figure. The worktree is removed at the end.
# SKIP_BUILD=1 reuses both jars when present. Loopback only; bounded by JMH's own timing
# (about 80 s per side per round) and a 15-minute timeout per JMH run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BEFORE=${1:-53f3c62}
ROUNDS=${2:-2}
OUT=${OUT:-$ROOT/lb-bench/target/hotpath}
WT=$OUT/before-tree
mkdir -p "$OUT"
BENCHES='io.lbkit.bench.(vrrp.AdvertBenchmark|checks.CheckBenchmark)'
SRC=lb-bench/src/main/java/io/lbkit/bench

cleanup() {
  if [ -d "$WT" ]; then
    git -C "$ROOT" worktree remove --force "$WT" || true
  fi
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$OUT/before.jar" ] || [ ! -f "$OUT/after.jar" ]; then
  cleanup
  git -C "$ROOT" worktree add --detach "$WT" "$BEFORE" >/dev/null
  cp "$SRC/vrrp/AdvertBenchmark.java" "$WT/$SRC/vrrp/"
  cp "$SRC/checks/CheckBenchmark.java" "$WT/$SRC/checks/"
  echo "building before ($(git -C "$WT" log --oneline -1))" >&2
  (cd "$WT" && mvn -o -q -B -pl lb-bench -am package -DskipTests)
  cp "$WT/lb-bench/target/benchmarks.jar" "$OUT/before.jar"
  echo "building after ($(git -C "$ROOT" log --oneline -1))" >&2
  mvn -o -q -B -pl lb-bench -am package -DskipTests
  cp lb-bench/target/benchmarks.jar "$OUT/after.jar"
fi
cc -O2 -o "$OUT/backends" lb-bench/scripts/backends.c

run() { # side round
  timeout 900 java -jar "$OUT/$1.jar" "$BENCHES" -prof gc -rf csv -rff "$OUT/$1-$2.csv" \
    -jvmArgsAppend "-Dbackends=$OUT/backends" >"$OUT/$1-$2.log" 2>&1 || {
    echo "$1 round $2 failed, see $OUT/$1-$2.log" >&2
    tail -20 "$OUT/$1-$2.log" >&2
    exit 1
  }
}
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: before" >&2
  run before "$r"
  echo "round $r: after" >&2
  run after "$r"
done

# JMH csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: type"
python3 - "$OUT" "$ROUNDS" "$BEFORE" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'EOF'
import csv, sys
out, rounds, before, after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = {}
for side in ("before", "after"):
    for r in range(1, rounds + 1):
        with open(f"{out}/{side}-{r}.csv") as f:
            for row in csv.DictReader(f):
                name = row["Benchmark"].split("bench.")[1]
                param = row.get("Param: type") or ""
                path = name.split(":")[0] + (f" {param}" if param else "")
                metric = "alloc" if name.endswith("gc.alloc.rate.norm") else "time" if ":" not in name else None
                if metric:
                    rows.setdefault(path, {}).setdefault((side, metric), []).append(
                        (float(row["Score"]), row["Unit"]))
print(f"before = {before}, after = {after} (HEAD); {rounds} interleaved rounds; mean (each round)")
print(f"{'path':44} {'before B/op':>22} {'after B/op':>22} {'before time':>20} {'after time':>20}")
def cell(v):
    if not v:
        return "-"
    mean = sum(x for x, _ in v) / len(v)
    return f"{mean:.1f} ({'/'.join(f'{x:.1f}' for x, _ in v)})"
for path, m in sorted(rows.items()):
    unit = m.get(("before", "time"), [(0, "")])[0][1]
    print(f"{path:44} {cell(m.get(('before','alloc'))):>22} {cell(m.get(('after','alloc'))):>22}"
          f" {cell(m.get(('before','time'))):>20} {cell(m.get(('after','time'))):>20} {unit}")

# CheckBenchmark prints the check thread's own allocation per attempt after each iteration
import re
thread = {}
for side in ("before", "after"):
    for r in range(1, rounds + 1):
        bench, phase = None, None
        with open(f"{out}/{side}-{r}.log") as f:
            for line in f:
                if line.startswith("# Benchmark: "):
                    bench = line.split("bench.")[1].strip()
                elif line.startswith("# Parameters: "):
                    bench += " " + line.split("=")[1].strip(" )\n")
                if "# Warmup Iteration" in line:
                    phase = "warmup"
                elif re.match(r"^Iteration\s+\d+:", line):
                    phase = "measure"
                v = re.search(r"check-thread B/attempt: ([0-9.]+)", line)
                if v and phase == "measure":
                    thread.setdefault(bench, {}).setdefault(side, []).append(float(v.group(1)))
if thread:
    print("check thread alone, B/attempt (ThreadMXBean; mean of the measurement iterations, all rounds):")
    for b, m in sorted(thread.items()):
        f = lambda v: f"{sum(v) / len(v):.1f} (min {min(v):.1f}, max {max(v):.1f}, n {len(v)})" if v else "-"
        print(f"  {b:42} before {f(m.get('before', []))}   after {f(m.get('after', []))}")
EOF

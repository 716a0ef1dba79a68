#!/bin/bash
# Host side of checks-vm-profile.sh: runs vm-run with the given arguments and, at each
# "MARK start|end NAME" line of the guest's output, reads this VM's QEMU process's own CPU time
# on the host (utime + stime of all its threads), printing a "HOST ..." line; a summary per window
# follows at the end. That is the real cost of everything that ran in the VM during the window
# (guest CPU accounting under TCG charges a task for host time that passed while it was current,
# including the host's preemptions of the emulator).
# usage: vm-host-cpu.sh VM-RUN-ARGS... -- COMMAND...   (only this script's own QEMU is read)
set -eu
cd "$(dirname "$0")/../.."
HZ=$(getconf CLK_TCK)
me=$$
ours() { # the qemu-system-x86 process descended from this script
  local p q
  for p in $(pgrep -x qemu-system-x86); do
    q=$p
    while [ -n "$q" ] && [ "$q" -gt 1 ]; do
      [ "$q" = "$me" ] && { echo "$p"; return; }
      q=$(awk '/^PPid:/ { print $2 }' "/proc/$q/status" 2>/dev/null)
    done
  done
}
out=$(mktemp)
sock=$(mktemp -u /tmp/vm-host-cpu.XXXXXX.sock)
trap 'rm -f "$out" "$sock"' EXIT
# QEMU's translator counters (info jit): TBs invalidated by writes to code pages, full flushes
jit() {
  python3 - "$sock" <<'PY' 2>/dev/null || echo "tb_flush=? tb_invalidate=? tlb_full=?"
import socket, sys, time, re
s = socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1])
time.sleep(0.2); s.recv(65536); s.sendall(b"info jit\n"); buf = b""; end = time.time() + 3
while time.time() < end and b"TLB elided" not in buf:
    try: buf += s.recv(65536)
    except socket.timeout: break
t = buf.decode(errors="replace")
def g(k):
    m = re.search(k + r"\s+(\d+)", t); return m.group(1) if m else "?"
print("tb_flush=%s tb_invalidate=%s tlb_full=%s tb_count=%s" % (g("TB flush count"), g("TB invalidate count"), g("TLB full flushes"), g("TB count")))
PY
}
set +e
tools/kernel-vm/vm-run --monitor "$sock" "$@" 2>&1 | while IFS= read -r line; do
  printf '%s\n' "$line"
  case "$line" in MARK\ *)
    q=$(ours)
    t=$(awk '{ print $14 + $15 }' "/proc/$q/stat" 2>/dev/null || echo 0)
    echo "HOST $line qemu=$q cpu_ticks=$t wall=$(date +%s.%N) load=$(cut -d' ' -f1 /proc/loadavg) $(jit)" | tee -a "$out";;
  esac
done
rc=${PIPESTATUS[0]}
awk -v hz="$HZ" 'function v(x) { sub(/^[a-z_]+=/, "", x); return x }
  $3 == "start" { n = $4; for (i = 6; i <= NF; i++) a[n, i] = $i }
  $3 == "end" { n = $4; printf "HOST-WINDOW %s: emulator CPU %.2f s over %.2f s wall (%s at start, %s at end); TB flushes %s, TBs invalidated %s, TLB full flushes %s\n",
    n, (v($6) - v(a[n, 6])) / hz, v($7) - v(a[n, 7]), a[n, 8], $8, v($9) - v(a[n, 9]), v($10) - v(a[n, 10]), v($11) - v(a[n, 11]) }' "$out"
exit "$rc"

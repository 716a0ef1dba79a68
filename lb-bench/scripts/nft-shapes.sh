#!/usr/bin/env bash
# How much of an nf_tables install is the kernel's, whatever writes it (issue 13's install goal, <= 0.1x
# 'nft -f' of the nftlb-style ruleset): 'nft -f' of three rulesets holding the same N services x 10 real
# servers, each timed as real / user / sys CPU in a network namespace this script creates and removes:
#   nftlb   one rule per service: ip daddr V tcp dport 80 dnat to numgen inc mod 10 map { 0 : rs, ... }
#   lbkit   lbkit's shape (lb-nftables' package-info): a services verdict map, per service a chain with one
#           rule and a named slots map
#   shared  no per-service set: per service a chain (meta mark set numgen inc mod 10) and ONE slots map
#           keyed by VIP . port . slot for all services
# 'sys' of the lbkit shape is what the kernel spends on lbkit's objects, whoever sends them: divided by
# nftlb's real time it is the lowest ratio any writer of that shape can reach. Prints one line per size
# and shape, then one SHAPES line per size.
# usage (root): lb-bench/scripts/nft-shapes.sh [SIZES]   (default "1000 10000"; 10,000 takes 1-2 minutes)
set -euo pipefail
sizes=${1:-1000 10000}
command -v nft >/dev/null || { echo "nft is not installed" >&2; exit 1; }
ns="lbshape-$$"
work=$(mktemp -d /tmp/lbshape.XXXXXX)
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "nft-shapes: $(nft --version); kernel $(uname -r); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  python3 - "$n" "$work" <<'PY'
import sys
n, w, r = int(sys.argv[1]), sys.argv[2], 10
ip = lambda i: f"10.{(i >> 8) & 255}.{i & 255}.1"
rs = lambda i, j: f"172.16.{i % 250}.{j + 1}"
a = ["table ip lbnftlb {", " chain pre { type nat hook prerouting priority dstnat; policy accept;"]
a += [f"  ip daddr {ip(i)} tcp dport 80 dnat to numgen inc mod {r} map {{ "
      + ", ".join(f"{j} : {rs(i, j)}" for j in range(r)) + " }" for i in range(n)]
a += [" }", "}"]
b = ["table ip lblbkit {", " map services { type ipv4_addr . inet_service : verdict; }"]
for i in range(n):
    b.append(f" map slots_{i} {{ typeof numgen inc mod {r} : ip daddr . tcp dport; elements = {{ "
             + ", ".join(f"{j} : {rs(i, j)} . 8080" for j in range(r)) + " }; }")
    b.append(f" chain svc_{i} {{ meta l4proto tcp dnat ip to numgen inc mod {r} map @slots_{i}; }}")
b += [" chain pre { type nat hook prerouting priority dstnat; policy accept; ip daddr . tcp dport vmap @services; }",
      "}", "add element ip lblbkit services { " + ", ".join(f"{ip(i)} . 80 : goto svc_{i}" for i in range(n)) + " }"]
c = ["table ip lbshared {", " map services { type ipv4_addr . inet_service : verdict; }",
     " map slots { type ipv4_addr . inet_service . mark : ipv4_addr . inet_service; }"]
c += [f" chain svc_{i} {{ meta mark set numgen inc mod {r}; meta l4proto tcp dnat ip to ip daddr . tcp dport . meta mark"
      " map @slots; }" for i in range(n)]
c += [" chain pre { type nat hook prerouting priority dstnat; policy accept; ip daddr . tcp dport vmap @services; }",
      "}", "add element ip lbshared services { " + ", ".join(f"{ip(i)} . 80 : goto svc_{i}" for i in range(n)) + " }",
      "add element ip lbshared slots { " + ", ".join(f"{ip(i)} . 80 . {j} : {rs(i, j)} . 8080"
                                                      for i in range(n) for j in range(r)) + " }"]
for name, lines in (("nftlb", a), ("lbkit", b), ("shared", c)):
    open(f"{w}/{name}.nft", "w").write("\n".join(lines) + "\n")
PY
  declare -A real=() sys=()
  for shape in nftlb lbkit shared; do
    out=$(timeout 600 /usr/bin/time -f "%e %U %S" ip netns exec "$ns" nft -f "$work/$shape.nft" 2>&1 >/dev/null | tail -n 1)
    ip netns exec "$ns" nft delete table ip "lb$shape"
    read -r re us sy <<<"$out"
    real[$shape]=$re; sys[$shape]=$sy
    echo "N=$n $shape: real ${re} s, user ${us} s, sys ${sy} s"
  done
  awk -v n="$n" -v a="${real[nftlb]}" -v l="${sys[lbkit]}" -v s="${sys[shared]}" 'BEGIN {
    printf "SHAPES N=%d kernel share of the lbkit shape / nft -f nftlb: %.2fx (shared slots map: %.2fx); goal 0.1x\n", n, l / a, s / a }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

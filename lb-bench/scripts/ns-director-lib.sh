# One standalone director per network namespace, for footprint.sh, http-footprint.sh and scrape-lbctl.sh
# (sourced from the project root, as root). ns_director_init PREFIX makes the work directory W, the cleanup trap
# (the director started last and every process of its namespace, then the namespace) and $W/vrrp.conf (the seed's
# vrrp_instance alone: BACKUP, priority 100, advert 1 s, VIP 192.168.0.200 on eth0). The caller sets NS and PID
# as ns_up and its own start do. Bounded: every wait has a deadline; only this script's processes are stopped.
ns_director_init() { # PREFIX
  W=$(mktemp -d "/tmp/$1.XXXXXX")
  NS=""
  PID=""
  trap ns_director_cleanup EXIT
  TCK=$(getconf CLK_TCK)
  cat > "$W/vrrp.conf" <<'CONF'
vrrp_instance V_W {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    nopreempt
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.0.200
    }
}
CONF
}
ns_director_cleanup() {
  [ -z "$PID" ] || kill "$PID" 2>/dev/null || true
  [ -z "$NS" ] || { for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done; ip netns del "$NS" 2>/dev/null || true; }
  rm -rf "$W"
}
ns_up() { # NAME: a fresh namespace NS=NAME with lo and a veth pair eth0 (192.168.0.10/24) - eth1, all up
  NS=$1
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" link add eth0 type veth peer name eth1
  ip -n "$NS" link set eth1 up
  ip -n "$NS" addr add 192.168.0.10/24 dev eth0
  ip -n "$NS" link set eth0 up
}
ns_down() { # stops PID (SIGTERM, SIGKILL after 10 s) and every process left in NS, deletes NS
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
  for p in $(ip netns pids "$NS"); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS"; NS=""
}
ns_ticks() { # CPU ticks (user+sys, TCK a second) of every process in NS
  local t=0 p c
  for p in $(ip netns pids "$NS" 2>/dev/null); do
    c=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); t=$((t + ${c:-0}))
  done
  echo $t
}
ns_rss() { # RSS KB of every process in NS
  local r=0 p x
  for p in $(ip netns pids "$NS" 2>/dev/null); do
    x=$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0); r=$((r + ${x:-0}))
  done
  echo $r
}
# an awk function for the summaries: med(a, n), the median of a[1..n] (sorts a)
AWK_MEDIAN='function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'

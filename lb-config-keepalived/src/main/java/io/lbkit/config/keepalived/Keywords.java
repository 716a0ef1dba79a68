package io.lbkit.config.keepalived;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Keywords each block knows (from keepalived.conf(5) of keepalived 2.2), old spellings
 * and "did you mean" suggestions.
 */
final class Keywords {
  private Keywords() {}

  /**
   * global_defs keywords keepalived 2.2.7 refuses without a value (probed one by one with
   * {@code keepalived -t}: "missing a parameter", "... missing - ignoring", "requires ...").
   */
  static final Set<String> GLOBAL_NEEDS_VALUE = Set.of(
      "bfd_cpu_affinity", "bfd_priority", "bfd_process_name", "bfd_rlimit_rttime", "bfd_rt_priority",
      "checker_cpu_affinity", "checker_priority", "checker_process_name", "checker_rlimit_rttime",
      "checker_rt_priority", "config_save_dir", "dbus_service_name", "default_interface",
      "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_monitor_rcv_bufs", "lvs_notify_fifo", "lvs_notify_fifo_script",
      "min_auto_priority_delay", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "nftables_priority",
      "notification_email_from", "notify_fifo", "notify_fifo_script", "process_monitor_rcv_bufs", "process_name",
      "random_seed", "reload_time_file", "shutdown_script", "shutdown_script_timeout", "snmp_socket",
      "startup_script", "startup_script_timeout", "tmp_config_directory", "umask", "vmac_addr_prefix",
      "vmac_prefix", "vrrp_cpu_affinity", "vrrp_down_timer_adverts", "vrrp_garp_extra_if", "vrrp_garp_interval",
      "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat", "vrrp_garp_master_delay",
      "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_garp_master_repeat", "vrrp_gna_interval",
      "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs",
      "vrrp_notify_fifo", "vrrp_notify_fifo_script", "vrrp_priority", "vrrp_process_name", "vrrp_rlimit_rttime",
      "vrrp_rt_priority", "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy", "vrrp_startup_delay");

  static final Set<String> GLOBAL = Set.of(
      "bfd_cpu_affinity", "bfd_no_swap", "bfd_priority", "bfd_process_name", "bfd_rlimit_rttime", "bfd_rt_priority",
      "checker_cpu_affinity", "checker_log_all_failures", "checker_no_swap", "checker_priority", "checker_process_name", "checker_rlimit_rttime",
      "checker_rt_priority", "child_wait_time", "config_save_dir", "data_use_instance", "dbus_service_name", "default_interface",
      "disable_local_igmp", "dynamic_interfaces", "enable_dbus", "enable_script_security", "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2",
      "enable_snmp_rfcv3", "enable_snmp_vrrp", "enable_traps", "fifo_write_vrrp_states_on_reload", "include_check", "instance",
      "linkbeat_use_polling", "log_unknown_vrids", "lvs_flush", "lvs_flush_on_stop", "lvs_flush_onstop", "lvs_netlink_cmd_rcv_bufs",
      "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force", "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_sync_daemon",
      "lvs_timeouts", "max_auto_priority", "min_auto_priority_delay", "namespace_with_ipsets", "net_namespace", "net_namespace_ipvs",
      "nftables", "nftables_counters", "nftables_ifindex", "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark",
      "nftables_priority", "no_checker_emails", "no_email_faults", "notification_email", "notification_email_from", "notify_fifo",
      "notify_fifo_script", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force", "process_name", "process_names", "random_seed",
      "reload_check_config", "reload_file", "reload_repeat", "reload_time_file", "router_id", "rs_init_notifies",
      "script_user", "shutdown_script", "shutdown_script_timeout", "smtp_alert", "smtp_alert_checker", "smtp_alert_vrrp",
      "smtp_connect_timeout", "smtp_helo_name", "smtp_server", "snmp_socket", "startup_script", "startup_script_timeout",
      "tmp_config_directory", "umask", "use_pid_dir", "vmac_addr_prefix", "vmac_prefix", "vrrp_check_unicast_src",
      "vrrp_cpu_affinity", "vrrp_down_timer_adverts", "vrrp_garp_extra_if", "vrrp_garp_interval", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat",
      "vrrp_garp_master_delay", "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_garp_master_repeat", "vrrp_gna_interval", "vrrp_higher_prio_send_advert",
      "vrrp_ipsets", "vrrp_iptables", "vrrp_lower_prio_no_advert", "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_min_garp",
      "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_no_swap", "vrrp_notify_fifo",
      "vrrp_notify_fifo_script", "vrrp_notify_priority_changes", "vrrp_priority", "vrrp_process_name", "vrrp_rlimit_rttime", "vrrp_rt_priority",
      "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy", "vrrp_skip_check_adv_addr", "vrrp_startup_delay", "vrrp_strict", "vrrp_version");
  static final Set<String> VRRP_SCRIPT = Set.of(
      "fall", "init_fail", "interval", "rise", "script", "timeout",
      "user", "weight");
  static final Set<String> SYNC_GROUP = Set.of(
      "global_tracking", "group", "notify", "notify_backup", "notify_fault",
      "notify_master", "notify_priority_changes", "notify_stop", "smtp_alert", "sync_group_tracking_weight", "track_bfd",
      "track_file", "track_interface", "track_process", "track_script");
  static final Set<String> VRRP_INSTANCE = Set.of(
      "accept", "advert_int", "authentication", "check_unicast_src",
      "debug", "dont_track_primary", "down_timer_adverts", "garp_extra_if", "garp_lower_prio_delay", "garp_lower_prio_repeat",
      "garp_master_delay", "garp_master_refresh", "garp_master_refresh_repeat", "garp_master_repeat", "higher_prio_send_advert", "interface",
      "kernel_rx_buf_size", "linkbeat_use_polling", "lower_prio_no_advert", "lvs_sync_daemon_interface", "mcast_dst_ip", "mcast_src_ip",
      "native_ipv6", "no_accept", "nopreempt", "notify", "notify_backup", "notify_fault",
      "notify_master", "notify_master_rx_lower_pri", "notify_priority_changes", "notify_stop", "old_unicast_checksum", "preempt",
      "preempt_delay", "priority", "promote_secondaries", "skip_check_adv_addr", "smtp_alert", "state",
      "strict_mode", "track_bfd", "track_file", "track_interface", "track_process",
      "track_script", "track_src_ip", "unicast_fault_no_peer", "unicast_peer", "unicast_src_ip", "unicast_ttl",
      "use_ipvlan", "use_vmac", "use_vmac_addr", "version", "virtual_ipaddress", "virtual_ipaddress_excluded",
      "virtual_router_id", "virtual_routes", "virtual_rules", "vmac_xmit_base", "vrf", "vrrp_track_file");
  static final Set<String> LVS = Set.of(
      "BFD_CHECK", "DNS_CHECK", "FILE_CHECK", "HTTP_GET", "MISC_CHECK", "PING_CHECK",
      "SMTP_CHECK", "SSL", "SSL_GET", "TCP_CHECK", "UDP_CHECK", "alpha",
      "bind_if", "bind_port", "bindto", "ca", "certificate", "connect_ip",
      "connect_port", "connect_timeout", "delay_before_retry", "delay_loop", "digest", "dynamic",
      "enable_sni", "fall", "fast_recovery", "flag-1", "flag-2", "flag-3",
      "fwmark", "group", "ha_suspend", "helo_name", "host", "http_protocol",
      "hysteresis", "inhibit_on_failure", "ip_family", "key", "lb_algo", "lb_kind",
      "log_all_failures", "lthreshold", "lvs_method", "lvs_sched", "max_reply_length", "mh-fallback",
      "mh-port", "min_reply_length", "misc_dynamic", "misc_path", "misc_timeout", "name",
      "nb_get_retry", "notify_down", "notify_up", "omega", "ops",
      "password", "path", "payload", "persistence_engine", "persistence_granularity", "persistence_timeout",
      "protocol", "quorum", "quorum_down", "quorum_up", "real_server", "regex",
      "regex_max_offset", "regex_min_offset", "regex_no_match", "regex_options", "regex_stack", "reply",
      "require_reply", "retry", "rise", "sh-fallback", "sh-port", "smtp_alert",
      "sni", "snmp_name", "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "status_code",
      "track_file", "tunnel_type", "type", "url", "user", "uthreshold",
      "verify_cert", "virtualhost", "warmup", "weight");
  static final Set<String> TRACK_FILE = Set.of(
      "file", "init_file", "weight");
  static final Set<String> TRACK_PROCESS = Set.of(
      "delay", "fork_delay", "full_command", "param_match", "process", "quorum", "quorum_max",
      "terminate_delay", "vrrp_track_process", "weight");
  static final Set<String> BFD = Set.of(
      "bfd_instance", "checker", "hoplimit", "idle_tx", "max_hops", "min_rx",
      "min_tx", "multiplier", "neighbor_ip", "passive", "source_ip", "ttl",
      "vrrp", "weight");

  /** What every checker with a connection takes (keepalived 2.2.7, probed with {@code keepalived -t}). */
  private static final Set<String> CONNECTION = Set.of("connect_ip", "connect_port", "bindto", "bind_port", "bind_if",
      "fwmark", "connect_timeout");
  /** What every checker but FILE_CHECK and BFD_CHECK takes. */
  private static final Set<String> TIMING = Set.of("retry", "delay_before_retry", "warmup", "delay_loop", "alpha",
      "log_all_failures");
  /** What a real_server block takes besides its checkers. */
  static final Set<String> REAL_SERVER = Set.of("weight", "inhibit_on_failure", "lvs_method", "uthreshold",
      "lthreshold", "notify_up", "notify_down", "smtp_alert", "alpha", "delay_loop", "retry", "delay_before_retry",
      "connect_timeout", "warmup", "virtualhost");
  /** What a url block of HTTP_GET / SSL_GET takes. */
  static final Set<String> URL = Set.of("path", "digest", "status_code", "regex", "regex_no_match", "virtualhost",
      "regex_min_offset", "regex_max_offset", "regex_stack", "regex_options");
  /** Each checker block's own keywords: keepalived rejects any other one inside it. */
  static final Map<String, Set<String>> CHECKER = Map.of(
      "HTTP_GET", union(CONNECTION, TIMING, Set.of("url", "virtualhost", "http_protocol", "enable_sni",
          "fast_recovery", "nb_get_retry")),
      "SSL_GET", union(CONNECTION, TIMING, Set.of("url", "virtualhost", "http_protocol", "enable_sni",
          "fast_recovery", "nb_get_retry")),
      "TCP_CHECK", union(CONNECTION, TIMING, Set.of()),
      "PING_CHECK", union(CONNECTION, TIMING, Set.of()),
      "ICMP_CHECK", union(CONNECTION, TIMING, Set.of()),
      "MISC_CHECK", union(TIMING, Set.of("misc_path", "misc_timeout", "misc_dynamic", "user"), Set.of()),
      "DNS_CHECK", union(CONNECTION, TIMING, Set.of("type", "name")),
      "UDP_CHECK", union(CONNECTION, TIMING, Set.of("payload", "require_reply", "min_reply_length",
          "max_reply_length")),
      "SMTP_CHECK", union(CONNECTION, TIMING, Set.of("helo_name", "host")),
      "FILE_CHECK", Set.of("track_file", "weight"));
  /** BFD_CHECK's keywords (the map above is full: Map.of takes ten pairs). */
  static final Set<String> BFD_CHECK = Set.of("name", "alpha");

  /** The keywords a checker block takes, or null for an unknown block type. */
  static Set<String> checker(String type) {
    return type.equals("BFD_CHECK") ? BFD_CHECK : CHECKER.get(type);
  }

  /** The checker blocks (sorted) in which {@code keyword} is valid, for "it belongs in" hints. */
  static java.util.List<String> checkersTaking(String keyword) {
    java.util.List<String> l = new java.util.ArrayList<>();
    for (Map.Entry<String, Set<String>> e : CHECKER.entrySet()) {
      if (e.getValue().contains(keyword) && !e.getKey().equals("ICMP_CHECK")) {
        l.add(e.getKey());
      }
    }
    if (BFD_CHECK.contains(keyword)) {
      l.add("BFD_CHECK");
    }
    java.util.Collections.sort(l);
    return l;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    java.util.Set<String> u = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      u.addAll(s);
    }
    return Set.copyOf(u);
  }

  /** Top-level blocks and statements. */
  static final Set<String> TOP = Set.of("global_defs", "static_ipaddress", "static_routes", "static_rules",
      "linkbeat_interfaces", "static_track_group", "track_file", "vrrp_track_file", "vrrp_track_process",
      "bfd_instance", "vrrp_script", "vrrp_sync_group", "vrrp_garp_group", "garp_group", "vrrp_instance",
      "virtual_server_group", "virtual_server", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
      "instance", "use_pid_dir", "include");

  /** Old spelling to current spelling. */
  static final Map<String, String> DEPRECATED = Map.of("lb_algo", "lvs_sched", "lb_kind", "lvs_method",
      "nb_get_retry", "retry", "vrrp_track_file", "track_file",
      "lvs_flush_onstop", "lvs_flush_on_stop", "smtp_connection_to", "connect_timeout");

  /** Where an old spelling is still read, for the "unknown keyword" error elsewhere. */
  static String deprecatedPlace(String old) {
    return switch (old) {
      case "lb_algo" -> ", which belongs in a virtual_server (one without it gets wlc)";
      case "lb_kind" -> ", which belongs in a virtual_server (one without it gets NAT)";
      case "nb_get_retry" -> ", still read inside HTTP_GET and SSL_GET only";
      case "vrrp_track_file" -> ", still read at the top level and in a vrrp_instance";
      case "lvs_flush_onstop" -> ", still read in global_defs";
      default -> " (gone from keepalived 2.2.7)";
    };
  }

  /** The closest known keyword within edit distance 2 (or a unique prefix match), or null. */
  static String suggest(String word, Collection<String> known) {
    String best = null;
    int bestDist = 3;
    for (String k : known) {
      int d = distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT), bestDist + 1);
      if (d < bestDist || (d == bestDist && best != null && k.compareTo(best) < 0)) {
        bestDist = d;
        best = k;
      }
    }
    return bestDist <= Math.max(1, Math.min(2, word.length() / 3)) ? best : null;
  }

  /** Levenshtein distance, giving up (returning limit) past limit. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[b.length()], limit);
  }
}

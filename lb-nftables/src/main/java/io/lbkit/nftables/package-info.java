/**
 * lbkit's second dataplane: the {@link io.lbkit.api.ipvs.Ipvs} port on nf_tables, for
 * kernels without IPVS. The entry type is {@link io.lbkit.nftables.NftablesIpvs}
 * ({@code NftablesIpvs.open()} or {@code open(netns)}); give it to the {@code Director}
 * (or {@code LoadBalancer}) in place of {@code NetlinkIpvs} and the same spec runs.
 * Everything is written over netlink (nfnetlink batches with the generation id, no
 * {@code nft} process); the package-private {@code TableReader} reads it back, and
 * {@code NftablesIpvs.read(netns)} reads it without creating anything ({@code lbctl show}).
 * lb-runtime's {@code Dataplane} (and {@code lbctl run|show|apply --dataplane}) opens it
 * by name, or in place of IPVS on a kernel without IPVS ({@code auto}). lb-testing's
 * {@code FakeNftables} is its in-memory fake: both pass lb-testing's
 * {@code NftablesContract}.
 *
 * <h2>The table</h2>
 * lbkit owns one table, {@code inet lbkit}, and touches no other. For a wrr service
 * TCP 192.0.2.200:80 with real servers 198.51.100.61:8080 (weight 2) and
 * 198.51.100.62:8080 (weight 1), {@code nft list table inet lbkit} shows:
 * <pre>
 * table inet lbkit {
 *   map services4 {
 *     type ipv4_addr . inet_proto . inet_service : verdict
 *     elements = { 192.0.2.200 . tcp . 80 : goto svc_tcp_192.0.2.200_80 }
 *   }
 *   map services6 { type ipv6_addr . inet_proto . inet_service : verdict }
 *   map dests4 {
 *     type ipv4_addr . inet_proto . inet_service . ipv4_addr . inet_service : mark
 *     elements = { 192.0.2.200 . tcp . 80 . 198.51.100.61 . 8080 : 0x00000002,
 *                  192.0.2.200 . tcp . 80 . 198.51.100.62 . 8080 : 0x00000001 }
 *   }
 *   map dests6 { type ipv6_addr . inet_proto . inet_service . ipv6_addr . inet_service : mark }
 *   map slots_tcp_192.0.2.200_80 {
 *     typeof numgen inc mod 2 : ip daddr . tcp dport
 *     elements = { 0 : 198.51.100.61 . 8080, 1 : 198.51.100.61 . 8080, 2 : 198.51.100.62 . 8080 }
 *   }
 *   chain prerouting {
 *     type nat hook prerouting priority dstnat; policy accept;
 *     ip daddr . meta l4proto . th dport vmap @services4
 *     ip6 daddr . meta l4proto . th dport vmap @services6
 *   }
 *   chain output {
 *     type nat hook output priority -100; policy accept;
 *     (the same two rules, for connections the director opens itself)
 *   }
 *   chain svc_tcp_192.0.2.200_80 {
 *     meta l4proto tcp dnat ip to numgen inc mod 3 map @slots_tcp_192.0.2.200_80 comment "wrr"
 *   }
 * }
 * </pre>
 * <ul>
 *   <li>{@code services4/6} send a new connection to its service's chain (one lookup
 *       whatever the number of services).
 *   <li>Each service has a chain with one rule, commented with its scheduler: {@code numgen
 *       inc} (rr, wrr), {@code numgen random} (random), {@code jhash ip saddr} (sh, mh) or
 *       {@code jhash ip daddr} (dh; ip6 likewise, with a fixed seed so every director hashes
 *       alike) modulo its slot count, looked up in its {@code slots_*} map, then
 *       {@code dnat}. rr gives each real server of weight above 0 one slot; wrr, random, sh
 *       and dh give weight/gcd slots, in the order the kernel's ip_vs_wrr picks. sh and dh
 *       hash to the same slots, not to IPVS's 256-bucket table: a flow does not go to the
 *       real server an IPVS director would pick. The slots map's {@code typeof} still reads
 *       {@code numgen} for them (display only). Weight 0 means no slot: no new connections, while conntrack keeps
 *       established ones on their real server. With no slot at all the rule is {@code reject}
 *       (ICMP port unreachable, as IPVS answers when no destination is available).
 *   <li>{@code dests4/6} hold every real server with its weight, 0 included: what
 *       {@code services()} reports (the datapath does not read them).
 *   <li>{@code stats4/6} count each real server's packets and bytes in both directions
 *       (per-element counters), looked up per packet by the filter chains
 *       {@code stats_prerouting} and {@code stats_output}; {@code services()} reports them as
 *       IPVS's InPkts/OutPkts/InBytes/OutBytes (a service's: the sum of its real servers';
 *       connection counts and rates: 0). Their key is VIP . protocol . real server . port,
 *       without the VIP's port (nft cannot parse or print {@code ct original proto-dst} in a
 *       concatenation): services of one VIP and protocol on different ports that share a
 *       real server share its counters, and {@code zero} resets them together.
 * </ul>
 *
 * <h2>mh (Maglev)</h2>
 * An mh service has {@value io.lbkit.nftables.internal.Maglev#TABLE_SIZE} slots: the lookup
 * table the kernel's {@code ip_vs_mh} builds (default {@code CONFIG_IP_VS_MH_TAB_INDEX}, its
 * fixed hsiphash keys, weights reduced by their gcd and shifted right to fit 6 bits) for the
 * real servers of weight above 0 in the order IPVS lists them when they were added in address
 * order (IPVS puts each new one first, and its table depends on that order). The kernel-VM
 * test {@code MaglevKernelTest} checks, connection by connection, that IPVS picks what this
 * table says. What does not match, by construction:
 * <ul>
 *   <li><b>The flow hash.</b> IPVS looks a connection up by {@code hsiphash} of the client
 *       address (and port with {@code mh-port}); nf_tables has only {@code jhash} and
 *       {@code symhash}, so the rule hashes {@code jhash ip saddr} ({@code . th sport} with
 *       mh-port) with lbkit's fixed seed. The same client lands on another slot than on
 *       IPVS: <b>a fleet mixing IPVS and nftables directors does not send a flow to the same
 *       real server</b>. nftables directors agree with each other (same table, same seed),
 *       as IPVS directors do; each keeps Maglev's property that a change of one real server
 *       moves about its share of the flows.
 *   <li><b>Weight 0.</b> IPVS keeps a real server at weight 0 in its table (built from its
 *       last non-zero weight) and refuses the flows that hash to it, or with
 *       {@code mh-fallback} re-hashes them onto the next available one; lbkit leaves it out
 *       of the table, so its flows spread over the others Maglev-style. {@code mh-fallback}
 *       is kept as a flag and changes nothing more.
 *   <li>A real server whose weight changes moves only the slots that change owner (one
 *       batch of deletes and adds), not all 4093.
 * </ul>
 * A weight change replaces one dests element and, when the slots change, refills the slots
 * map and rewrites the rule (its modulus), all in one atomic batch; a new real server is one
 * element plus the same refill. The Director's restart against an intact table writes
 * nothing; a service rule that is not the one lbkit wrote reads back with scheduler
 * {@code none}, so the Director rewrites it.
 *
 * <h2>What is refused</h2>
 * With EOPNOTSUPP naming the service and the reason, per change, never silently altered:
 * schedulers other than rr, wrr, random, sh, dh and mh (lc, wlc, sed, nq, lblc, lblcr, ovf,
 * twos need live connection counts; fo is not done yet), persistence, one-packet
 * scheduling and scheduler flags but mh's, firewall-mark and all-ports services, DR and TUN
 * forwarding (only NAT: the real servers route their replies through the director, as with
 * IPVS NAT), connection thresholds, and weights needing more than 4096 slots. A NAT real
 * server of the other address family is EINVAL, as in IPVS. Timeouts and sync daemons are
 * refused (conntrack's sysctls and conntrackd).
 */
package io.lbkit.nftables;
